"""The contracts the trainer shares with the edge, validated against the JSON Schema generated from their zod source.

``adapters/*.ts`` is the single definition; ``npm run schemas`` writes ``adapters/schema/`` and the packaged copy in
``contracts/schema/`` that this module reads (``npm test`` fails when either is stale). Checks JSON Schema cannot
express (a reference summing to 1, one centroid row per reference weight) are the edge's parse on read.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


class ContractError(ValueError):
    """A document does not satisfy its contract; the message names every offending path."""


@cache
def _validator(name: str) -> Draft202012Validator:
    text = resources.files(__package__).joinpath("schema", f"{name}.schema.json").read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text))


def validate(name: str, document: Any) -> Any:
    """Check ``document`` against contract ``name`` (``manifest``, ``cluster-model``, …) and return it.

    Raises:
        ContractError: naming each violated path, e.g. ``cluster-model: centroids/0: 'x' is not of type 'array'``.
    """
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{name}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:10]]
        raise ContractError("\n".join(lines))
    return document
