"""Real loader paths on tiny models the tests build themselves (no hub): a 2-layer BERT with random weights and a
character-level vocabulary, loaded through transformers and sentence-transformers by path, and a hand-written ONNX
graph (embedding lookup) run by onnxruntime."""

import numpy as np
import pytest

from compass_trainer.data import Example
from compass_trainer.encoders import EmbeddingCache, embed_examples, load_encoder, load_precomputed

TEXTS = ["habari ya asubuhi", "good morning", "guten morgen", "habari ya jioni"]


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    from transformers import BertConfig, BertModel, BertTokenizerFast

    path = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(set("".join(TEXTS).replace(" ", "")))]
    (path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    BertTokenizerFast(vocab_file=str(path / "vocab.txt")).save_pretrained(path)
    # 2 layers, 32 hidden: big enough to be a real BERT, small enough to load in milliseconds.
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(path)
    return path


def test_transformers_encoder_mean_pools_and_normalises(tiny_bert):
    encoder = load_encoder(f"hf:{tiny_bert}")
    X = encoder.encode(TEXTS)
    assert X.shape == (4, 32) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(X[0], X[1])


def test_sentence_transformers_encoder_loads_by_path(tiny_bert, tmp_path):
    from sentence_transformers import SentenceTransformer, models

    st_path = tmp_path / "st"
    SentenceTransformer(modules=[models.Transformer(str(tiny_bert)), models.Pooling(32, pooling_mode="mean")]).save(str(st_path))
    X = load_encoder(f"st:{st_path}").encode(TEXTS)
    assert X.shape == (4, 32)
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    hf = load_encoder(f"hf:{tiny_bert}").encode(TEXTS)
    assert np.allclose(X, hf, atol=1e-4)  # same weights, same pooling


def test_onnx_encoder_runs_a_graph_written_by_the_test(tiny_bert, tmp_path):
    import onnx
    from onnx import TensorProto, helper

    vocab = len((tiny_bert / "vocab.txt").read_text(encoding="utf-8").splitlines())
    table = np.random.default_rng(0).standard_normal((vocab, 8)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["last_hidden_state"])],
        "embedding_lookup",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", 8])],
        initializer=[helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten())],
    )
    model_path = tmp_path / "encoder.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), model_path)
    X = load_encoder(f"onnx:{model_path}@{tiny_bert}").encode(TEXTS)
    assert X.shape == (4, 8)
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)


def test_cache_serves_the_second_run(tmp_path):
    class Counting:
        encoder_id = "counting-v1"
        calls = 0

        def encode(self, texts):
            Counting.calls += len(texts)
            return np.stack([np.eye(4, dtype=np.float32)[len(t) % 4] for t in texts])

    examples = [Example(inputs=t, targets=None, language="sw", source="x", row=i) for i, t in enumerate(TEXTS)]
    cache = EmbeddingCache(tmp_path)
    first = embed_examples(Counting(), examples, cache)
    assert Counting.calls == 4
    second = embed_examples(Counting(), examples + examples[:1], cache)
    assert Counting.calls == 4
    assert np.array_equal(second[:4], first) and np.array_equal(second[4], first[0])


def test_precomputed_embeddings(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    np.save(tmp_path / "e.npy", np.array([[3.0, 4.0], [1.0, 0.0]], dtype=np.float32))
    assert np.allclose(load_precomputed(tmp_path / "e.npy"), [[0.6, 0.8], [1.0, 0.0]])
    pq.write_table(pa.table({"embedding": [[0.0, 2.0], [2.0, 0.0]]}), tmp_path / "e.parquet")
    assert load_precomputed(tmp_path / "e.parquet", column="embedding").tolist() == [[0.0, 1.0], [1.0, 0.0]]
    with pytest.raises(ValueError, match="2 embeddings for 3 examples"):
        load_precomputed(tmp_path / "e.npy", expected_rows=3)
    with pytest.raises(ValueError, match="unknown encoder spec"):
        load_encoder("nope")
