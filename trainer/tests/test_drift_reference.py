"""The drift reference P_ref as a named choice, and the measurement that made usage alone the default: with the
selected auxiliary data in P_ref, traffic moving onto the topics training was thin in is never detected."""

import numpy as np
import pytest

from compass_trainer.drift import DEFAULT_REFERENCE, REFERENCES, reference_distribution
from compass_trainer.drift_sim import compare_references


def test_reference_choices_pool_mix_or_ignore_the_selected_data():
    usage, selected = np.array([3.0, 1.0]), np.array([0.0, 4.0])
    assert reference_distribution("usage", usage, selected).tolist() == [0.75, 0.25]
    assert reference_distribution("usage+selected", usage, selected).tolist() == [0.375, 0.625]
    assert reference_distribution("mix", usage, selected, mix=0.5).tolist() == pytest.approx([0.5625, 0.4375])
    with pytest.raises(ValueError, match="unknown reference"):
        reference_distribution("window", usage, selected)


def test_usage_alone_detects_thin_topic_drift_that_usage_plus_selected_misses():
    results = {(r.reference, r.scenario): r for r in compare_references(runs=2)}
    assert DEFAULT_REFERENCE == "usage" and set(REFERENCES) == {r for r, _ in results}
    assert results[("usage", "thin-topic drift")].detected == 1.0
    assert results[("usage+selected", "thin-topic drift")].detected == 0.0
    for reference in REFERENCES:
        assert results[(reference, "covered-topic drift")].detected == 1.0
        assert results[(reference, "thin-topic drift")].false_positives == 0.0
    assert results[("usage", "table 11 (T1–T5)")].detected >= results[("usage+selected", "table 11 (T1–T5)")].detected
