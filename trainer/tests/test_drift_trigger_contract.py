"""The drift trigger the edge sends (adapters/trigger.ts) validates against its generated JSON Schema on the
trainer's side, and a malformed one is refused naming the offending path."""

import pytest

from compass_trainer.contracts import ContractError, validate

TRIGGER = {"id": "sw.eu.1.1", "language": "sw", "region": "eu", "modelVersion": "1", "reference": [0.5, 0.5],
           "monitored": [0.1, 0.9], "js": 0.27, "theta": 0.15, "windowSamples": 1000,
           "windowKey": "windows/sw/eu/sw.eu.1.1.jsonl", "at": "2026-11-24T02:00:00.000Z"}  # fmt: skip


def test_a_trigger_from_the_edge_validates():
    assert validate("drift-trigger", TRIGGER) is TRIGGER
    assert validate("drift-trigger", {**TRIGGER, "windowKey": None})


@pytest.mark.parametrize(("field", "value"), [("js", 1.5), ("region", "Not A Region"), ("windowSamples", 0), ("monitored", [])])
def test_a_malformed_trigger_is_refused_naming_the_field(field, value):
    with pytest.raises(ContractError, match=field):
        validate("drift-trigger", {**TRIGGER, field: value})
