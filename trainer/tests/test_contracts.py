"""The trainer validates what it shares with the edge against the JSON Schema generated from adapters/*.ts."""

import json
from pathlib import Path

import pytest

from compass_trainer import contracts

REPO = Path(__file__).resolve().parents[2]


def _model() -> dict:
    return {"schemaVersion": 1, "language": "sw", "version": "1", "encoder": "compass-sketch-v1", "dim": 2,
            "centroids": [[1.0, 0.0], [0.0, 1.0]], "reference": [0.5, 0.5], "theta": 0.15}  # fmt: skip


def test_packaged_schemas_equal_the_generated_ones_in_adapters():
    packaged = Path(contracts.__file__).parent / "schema"
    names = sorted(p.name for p in (REPO / "adapters/schema").glob("*.schema.json"))
    assert names and names == sorted(p.name for p in packaged.glob("*.schema.json"))
    for name in names:
        assert json.loads((packaged / name).read_text()) == json.loads((REPO / "adapters/schema" / name).read_text())


def test_valid_cluster_model_passes():
    assert contracts.validate("cluster-model", _model())["language"] == "sw"


@pytest.mark.parametrize(
    ("change", "path"),
    [({"encoder": "e5"}, "encoder"), ({"theta": 0}, "theta"), ({"schemaVersion": 2}, "schemaVersion"),
     ({"centroids": [["x"]]}, "centroids/0/0")],  # fmt: skip
)
def test_invalid_cluster_model_is_refused_naming_the_path(change, path):
    with pytest.raises(contracts.ContractError, match=f"cluster-model: {path}"):
        contracts.validate("cluster-model", {**_model(), **change})


def test_manifest_with_an_unknown_language_key_is_refused():
    manifest = {"schemaVersion": 1, "baseModel": "b", "languages": {"xx": {}}}
    with pytest.raises(contracts.ContractError, match="manifest: languages"):
        contracts.validate("manifest", manifest)
