"""COMPASS selection (METHOD §1) and the baselines of paper §4.3, behind one selector interface."""

from .base import Corpus, Selection, Selector, get_selector, register_selector, SELECTORS
from .compass import CompassSelector, SelectionConfig

__all__ = ["Corpus", "Selection", "Selector", "CompassSelector", "SelectionConfig", "get_selector", "register_selector", "SELECTORS"]

from . import baselines  # noqa: E402,F401  (registers the baselines)
