import json

import pytest

from compass_trainer.data import AYA, DataError, Schema, deduplicate, iter_rows, parse_fields, parse_hf, read_examples, source_fingerprint, write_jsonl
from compass_trainer.errors import UsageError
from compass_trainer.languages import ISO639_3, LANGUAGES, is_routed, to_canonical


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_aya_rows_and_maps_language_codes(tmp_path):
    path = write_lines(
        tmp_path / "d.jsonl",
        [
            json.dumps({"inputs": "Habari?", "targets": "Nzuri.", "language_code": "swh", "annotation_type": "original"}),
            "",
            json.dumps({"inputs": "नमस्ते", "targets": "नमस्ते!", "language_code": "npi"}),
        ],
    )
    rows = read_examples(path)
    assert [r.language for r in rows] == ["sw", "ne"]
    assert rows[0].text == "Habari?\nNzuri."
    assert rows[1].row == 3
    assert rows[0].meta == {"annotation_type": "original"}


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"inputs": "x", ', "invalid JSON"),
        ('{"targets": "y"}', "field 'inputs' is missing (the row has: targets); name the input field with --field inputs=<name>"),
        ('{"inputs": ""}', "field 'inputs' must be a non-empty string"),
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


def test_unknown_extension_missing_file_and_plain_directory_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        read_examples(tmp_path / "missing.jsonl")
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(UsageError, match="unsupported file type"):
        read_examples(tmp_path / "x.csv")
    with pytest.raises(UsageError, match="a directory, but not a `datasets` folder"):
        read_examples(tmp_path)


def test_invalid_utf8_names_file_line_and_byte(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"inputs": "fine"}\n{"inputs": "caf\xe9"}\n')
    with pytest.raises(DataError, match=r"latin1\.jsonl:2: invalid UTF-8 \(byte 0xe9 at column 16\)"):
        read_examples(path)


def test_write_jsonl_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out" / "rows.jsonl"
    write_jsonl(path, [{"a": 1}, {"b": "ü"}])
    assert path.read_text(encoding="utf-8").splitlines() == ['{"a": 1}', '{"b": "ü"}']
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["rows.jsonl"]


ROWS = [{"question": "Habari ya asubuhi?", "answer": "Nzuri.", "lang": "sw"}, {"question": "வணக்கம்?", "answer": "நலம்.", "lang": "tam"}]
MAPPED = Schema(input_field="question", target_field="answer", language_field="lang")


def test_datasets_folder_arrow_file_and_split_of_a_dataset_dict(tmp_path):
    from datasets import Dataset, DatasetDict

    Dataset.from_list(ROWS).save_to_disk(str(tmp_path / "folder"))
    DatasetDict({"train": Dataset.from_list(ROWS), "test": Dataset.from_list(ROWS[:1])}).save_to_disk(str(tmp_path / "dict"))
    for source in (tmp_path / "folder", next((tmp_path / "folder").glob("*.arrow")), f"{tmp_path / 'dict'}@train"):
        rows = read_examples(source, MAPPED)
        assert [(r.inputs, r.targets, r.language) for r in rows] == [("Habari ya asubuhi?", "Nzuri.", "sw"), ("வணக்கம்?", "நலம்.", "ta")]
    assert len(read_examples(f"{tmp_path / 'dict'}@test", MAPPED)) == 1
    with pytest.raises(UsageError, match="splits train, test; pick one"):
        read_examples(tmp_path / "dict", MAPPED)


def test_hf_scheme_loads_through_load_dataset_offline_from_a_local_dataset_folder(tmp_path):
    folder = tmp_path / "tamil_qa"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "train.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    (folder / "data" / "validation.jsonl").write_text(json.dumps(ROWS[1], ensure_ascii=False) + "\n", encoding="utf-8")
    assert parse_hf("hf://CohereLabs/Global-MMLU:sw@test") == ("CohereLabs/Global-MMLU", "sw", "test")
    assert [r.language for r in read_examples(f"hf://{folder}", MAPPED)] == ["sw", "ta"]
    rows = read_examples(f"hf://{folder}@validation", MAPPED)
    assert [r.inputs for r in rows] == ["வணக்கம்?"] and rows[0].source == f"hf://{folder}@validation"
    with pytest.raises(DataError, match="hf://.*@nosuchsplit"):
        read_examples(f"hf://{folder}@nosuchsplit", MAPPED)


def test_field_mapping_parses_roles_and_rejects_the_rest():
    assert parse_fields("inputs=question,targets=answer,language=lang") == MAPPED
    assert parse_fields("inputs=q,targets=").target_field is None
    assert parse_fields(None) == AYA
    for bad in ("question", "input=q", "inputs="):
        with pytest.raises(UsageError):
            parse_fields(bad)


def test_fingerprints_hash_files_and_folders(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", ['{"inputs": "x"}'])
    fp = source_fingerprint(path)
    import hashlib

    assert fp["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    before = source_fingerprint(tmp_path)["sha256"]
    path.write_text('{"inputs": "y"}\n', encoding="utf-8")
    assert source_fingerprint(tmp_path)["sha256"] != before


def test_language_table_matches_shared_vectors():
    from pathlib import Path

    vectors = json.loads((Path(__file__).parents[2] / "test" / "vectors" / "languages.json").read_text(encoding="utf-8"))
    assert list(LANGUAGES) == vectors["languages"]
    assert ISO639_3 == vectors["iso639_3"]
    for alias, code in vectors["aliases"].items():
        assert to_canonical(alias) == code
    assert to_canonical("pt-BR") == "pt" and to_canonical("zz") is None


@pytest.mark.parametrize(
    "code, canonical",
    [
        ("ta", "ta"),
        ("tam", "ta"),
        ("ta-IN", "ta"),
        ("zul", "zu"),
        ("zu", "zu"),
        ("gsw", "gsw"),
        ("yue", "yue"),
        ("swh", "sw"),
        ("sr-Latn", "sr"),
        ("zh_CN", "zh"),
    ],
)
def test_any_valid_language_code_is_accepted_and_the_42_keep_their_canonical_form(code, canonical):
    assert to_canonical(code) == canonical
    assert is_routed(canonical) == (canonical in LANGUAGES)


@pytest.mark.parametrize("code", ["xx", "zz", "klingon", "und", "", "12"])
def test_invalid_language_codes_are_refused(code):
    assert to_canonical(code) is None
