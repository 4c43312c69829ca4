"""compass trainer: COMPASS selection, DoRA adapters per language, ECDA continual updates."""

__version__ = "0.1.0"
