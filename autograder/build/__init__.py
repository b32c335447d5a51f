"""Derive what students get from the reference solutions: stubs and notebooks."""

from autograder.build.stubs import build_stubs, stub_source

__all__ = ["build_stubs", "stub_source"]
