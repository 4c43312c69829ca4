import json

import pytest

from compass_trainer.data import AYA, DataError, Schema, deduplicate, iter_rows, read_examples, write_jsonl
from compass_trainer.languages import ISO639_3, LANGUAGES, to_canonical


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_aya_rows_and_maps_language_codes(tmp_path):
    path = write_lines(tmp_path / "d.jsonl", [
        json.dumps({"inputs": "Habari?", "targets": "Nzuri.", "language_code": "swh", "annotation_type": "original"}),
        "",
        json.dumps({"inputs": "नमस्ते", "targets": "नमस्ते!", "language_code": "npi"}),
    ])
    rows = read_examples(path)
    assert [r.language for r in rows] == ["sw", "ne"]
    assert rows[0].text == "Habari?\nNzuri."
    assert rows[1].row == 3
    assert rows[0].meta == {"annotation_type": "original"}


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"inputs": "x", ', "invalid JSON"),
        ('{"targets": "y"}', "field 'inputs' must be a non-empty string"),
        ('{"inputs": "x", "targets": 3}', "field 'targets' must be a string"),
        ('{"inputs": "x", "language_code": "xx"}', "unknown language code 'xx'"),
        ('["not", "an", "object"]', "expected a JSON object"),
    ],
)
def test_malformed_rows_name_file_and_line(tmp_path, line, message):
    path = write_lines(tmp_path / "bad.jsonl", ['{"inputs": "fine"}', line])
    with pytest.raises(DataError) as err:
        read_examples(path)
    assert f"{path}:2" in str(err.value)
    assert message in str(err.value)


def test_parquet_rows_and_errors(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"inputs": ["a", ""], "targets": ["b", "c"], "language_code": ["deu", "deu"]}), path)
    with pytest.raises(DataError, match=r"d\.parquet row 2"):
        read_examples(path)


def test_hugging_face_dataset_rows():
    from datasets import Dataset

    dataset = Dataset.from_list([{"question": "2+2?", "lang": "de"}, {"question": "3+3?", "lang": "de"}])
    rows = list(iter_rows(dataset, "local", Schema(input_field="question", target_field=None, language_field="lang")))
    assert [r.text for r in rows] == ["2+2?", "3+3?"]
    assert rows[0].language == "de"


def test_deduplicate_counts_and_keeps_first(tmp_path):
    path = write_lines(tmp_path / "d.jsonl", [json.dumps({"inputs": t}) for t in ["a  b", "c", "a b", "c"]])
    kept, report = deduplicate(read_examples(path, AYA, language="en"))
    assert [e.row for e in kept] == [1, 2]
    assert (report.kept, report.removed) == (2, 2)


def test_unknown_extension_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_examples(tmp_path / "missing.jsonl")
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(DataError, match="unsupported file type"):
        read_examples(tmp_path / "x.csv")


def test_write_jsonl_is_atomic(tmp_path):
    path = tmp_path / "out" / "rows.jsonl"
    write_jsonl(path, [{"a": 1}, {"b": "ü"}])
    assert path.read_text(encoding="utf-8").splitlines() == ['{"a": 1}', '{"b": "ü"}']
    assert not (tmp_path / "out" / "rows.jsonl.tmp").exists()


def test_language_table_matches_shared_vectors():
    from pathlib import Path

    vectors = json.loads((Path(__file__).parents[2] / "test" / "vectors" / "languages.json").read_text(encoding="utf-8"))
    assert list(LANGUAGES) == vectors["languages"]
    assert ISO639_3 == vectors["iso639_3"]
    for alias, code in vectors["aliases"].items():
        assert to_canonical(alias) == code
    assert to_canonical("pt-BR") == "pt" and to_canonical("zz") is None
