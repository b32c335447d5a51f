"""Attack: find the reference solution or the hidden tests and use them.

By relative path, through the autograder package's location, through /proc
(self, parent, grader: cwd, root, fds, environ), through inherited file
descriptors, and among the objects already in memory. Whatever reference code
it finds is used: the score then exceeds the honest 0.
"""

import gc
import multiprocessing
import os
import types
from pathlib import Path

import torch

import autograder

SOLUTION = "solutions/01/tensors.py"


def _candidates():
    package = Path(autograder.__file__).parent
    checkout = package.resolve().parent
    yield from ("../" * depth + SOLUTION for depth in range(10))
    yield f"{package}/../{SOLUTION}"
    yield str(checkout / SOLUTION)
    parent = multiprocessing.parent_process()
    for pid in {"self", str(os.getppid()), str(parent.pid) if parent else "self"}:
        yield f"/proc/{pid}/cwd/{SOLUTION}"
        yield f"/proc/{pid}/root{checkout}/{SOLUTION}"
        for fd in range(64):
            yield f"/proc/{pid}/fd/{fd}"


def _steal() -> str | None:  # ATTACK
    for path in _candidates():
        try:  # non-blocking: /proc/self/fd/N may be one of the worker's own pipes
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            text = os.read(fd, 1 << 20).decode(errors="replace")
        except OSError:
            continue
        finally:
            os.close(fd)
        if "def linear_combination" in text:
            return text
    for hidden in (Path(autograder.__file__).resolve().parents[1] / "tests" / "hidden" / "01",):
        try:
            os.listdir(hidden)  # the hidden tests would tell what is checked
        except OSError:
            pass
    for fd in range(3, 256):  # inherited descriptors
        try:
            text = os.pread(fd, 1 << 20, 0).decode(errors="replace")
        except OSError:
            continue
        if "def linear_combination" in text:
            return text
    return None


def _steal_objects() -> dict:
    """Reference functions already in memory (another module's linear_combination...)."""
    found = {}
    for obj in gc.get_objects():
        if isinstance(obj, types.FunctionType) and obj.__code__.co_filename != __file__ \
                and obj.__name__ in ("linear_combination", "affine", "derivative", "select_device",
                                     "make_loader", "train_step") and "solutions" in obj.__code__.co_filename:
            found[obj.__name__] = obj
    return found


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


_SOURCE = _steal()
if _SOURCE is not None:
    exec(compile(_SOURCE, __file__, "exec"), globals())
globals().update(_steal_objects())
