"""Probes: trusted helpers that run beside the student's code, registered by name.

A probe is a function ``probe(module, *args, **kwargs)`` marked with
:func:`probe`. Hidden tests call it as ``student.probe(scratch.fit_and_return_params, ...)``;
the request carries only the probe's registered name, and the executor runs
only registered functions. The table is taken before the submission is
imported, so a submission that replaces a probe in its module does not change
what runs.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

DEFAULT_PROBE_PACKAGES = ("autograder.testkit.probes",)
"""Where the course's probes live unless a session names other packages."""

_REGISTRY: dict[str, Callable[..., Any]] = {}
Probe = TypeVar("Probe", bound=Callable[..., Any])


def probe_name(function: Callable[..., Any]) -> str:
    """The name a probe is registered under: its module and qualified name."""
    return f"{function.__module__}.{function.__qualname__}"


def probe(function: Probe) -> Probe:
    """Register ``function`` as a probe; it stays an ordinary function for the grader's own calls."""
    _REGISTRY[probe_name(function)] = function
    return function


def is_probe(function: Callable[..., Any]) -> bool:
    """Whether ``function`` is a registered probe."""
    return _REGISTRY.get(probe_name(function)) is function


def load_probes(packages: Iterable[str] = DEFAULT_PROBE_PACKAGES) -> dict[str, Callable[..., Any]]:
    """Import every module of the probe packages; return a copy of the registry.

    Raises:
        ImportError: a probe package or one of its modules cannot be imported.
    """
    for package_name in packages:
        package = importlib.import_module(package_name)
        for found in pkgutil.iter_modules(getattr(package, "__path__", [])):
            importlib.import_module(f"{package_name}.{found.name}")
    return dict(_REGISTRY)
