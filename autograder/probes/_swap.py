"""Temporarily replace functions in the student's module with trusted ones."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from types import ModuleType

_ABSENT = object()


@contextlib.contextmanager
def swapped_attributes(module: ModuleType, replacements: dict[str, Callable]) -> Iterator[None]:
    """Set ``module.<name>`` to each replacement for the duration, then restore the originals.

    Probes use it so that, say, the student's ``fit`` runs with trusted
    helpers and a mistake in a helper costs only the helper's own task.
    """
    saved = {name: module.__dict__.get(name, _ABSENT) for name in replacements}
    for name, replacement in replacements.items():
        setattr(module, name, replacement)
    try:
        yield
    finally:
        for name, original in saved.items():
            if original is _ABSENT:
                delattr(module, name)
            else:
                setattr(module, name, original)
