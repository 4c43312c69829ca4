"""COMPASS selection (METHOD §1) and the baselines of paper §4.3, behind one selector interface."""

from . import baselines  # registers the baselines
from .base import SELECTORS, Corpus, Selection, Selector, get_selector, register_selector, selector_from_job
from .compass import CompassSelector, SelectionConfig

__all__ = [
    "SELECTORS",
    "CompassSelector",
    "Corpus",
    "Selection",
    "SelectionConfig",
    "Selector",
    "baselines",
    "get_selector",
    "register_selector",
    "selector_from_job",
]
