"""A name → class registry, shared by the strategy families (selectors, clusterers): adding one is a class plus
a decorator line; the class's ``job_params`` say which job settings it takes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
        return self.cls(name)(**params)

    def cls(self, name: str) -> Callable[..., T]:
        try:
            return self.classes[name]
        except KeyError:
            raise ValueError(f"unknown {self.kind} '{name}'; choose from {sorted(self.classes)}") from None

    def from_job(self, name: str, settings: Mapping[str, Any]) -> T:
        """Build ``name`` from a job's settings (target, budget, seed, ...): each class declares the settings it takes
        in ``job_params`` (constructor argument → setting); settings left at None keep the class's default."""
        return self.cls(name).from_job(settings)


def from_job_params(cls: type, settings: Mapping[str, Any]) -> Any:
    """``cls(**{arg: settings[key]})`` for each ``arg → key`` of ``cls.job_params`` whose setting is not None."""
    return cls(**{arg: settings[key] for arg, key in cls.job_params.items() if settings.get(key) is not None})
