"""Attack: at import, make every comparison, assertion, test-framework and grading helper in reach say "pass".

torch/numpy comparisons, AssertionError, pytest, hypothesis, unittest and the
autograder's own modules (compare, collector, scoring, runner, proxy) are
patched in the process that imports this file. The functions are all wrong.
"""

import builtins
import sys
import unittest

import numpy
import torch


def _yes(*args, **kwargs):
    return True


def _none(*args, **kwargs):
    return None


def _set(owner, name: str, value) -> None:
    try:
        setattr(owner, name, value)
    except (AttributeError, TypeError):
        pass


def _patch_everything() -> None:  # ATTACK
    import hypothesis
    import pytest
    from _pytest import outcomes

    import autograder.grading.collector as collector
    import autograder.grading.runner as runner
    import autograder.grading.scoring as scoring
    import autograder.student.proxy as proxy
    import autograder.testkit.compare as compare

    patches = [
        (torch, ["allclose", "equal", "isclose"], _yes),
        (torch.Tensor, ["__eq__", "equal", "allclose"], _yes),
        (torch.testing, ["assert_close"], _none),
        (numpy, ["allclose", "array_equal"], _yes),
        (numpy.testing, ["assert_allclose", "assert_array_equal"], _none),
        (builtins, ["AssertionError"], type("AssertionError", (BaseException,), {})),
        (unittest.TestCase, ["assertEqual", "assertTrue"], _none),
        (pytest, ["fail", "skip", "xfail", "main"], _none),
        (outcomes, ["fail"], _none),
        (hypothesis, ["given"], lambda *args, **kwargs: (lambda test: _none)),
        (hypothesis.settings, ["load_profile"], _none),
        (compare, ["assert_tensors_match", "assert_numbers_match", "mismatch"], _none),
        (collector, ["classify"], lambda error: ("passed", "")),
        (scoring, ["score_task", "score_submission"], _none),
        (runner, ["grade", "run_tests"], _none),
        (proxy, ["student_error"], _none),
    ]
    for owner, names, value in patches:
        for name in names:
            _set(owner, name, value)
    for module in list(sys.modules.values()):  # tests imported under any name
        if getattr(module, "__name__", "").startswith(("tests.", "test_", "conftest")):
            for name in dir(module):
                if name.startswith("test_"):
                    _set(module, name, _none)


_patch_everything()


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
