"""A name → class registry, shared by the strategy families (selectors, clusterers): adding one is a class plus
a decorator line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind
        self.classes: dict[str, Callable[..., T]] = {}

    def register(self, name: str) -> Callable[[type], type]:
        """Class decorator: make the class available by ``name`` and set its ``name`` attribute."""

        def decorate(cls: type) -> type:
            cls.name = name
            self.classes[name] = cls
            return cls

        return decorate

    def get(self, name: str, **params: Any) -> T:
        try:
            return self.classes[name](**params)
        except KeyError:
            raise ValueError(f"unknown {self.kind} '{name}'; choose from {sorted(self.classes)}") from None
