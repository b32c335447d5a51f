"""Attack: forge a probe's verdict by patching the autograder's probe module in the worker.

Same make_loader as patch_torch_equal (right, but it reseeds torch's global
generator); here autograder.testkit.probes.tensors.loader_batches is wrapped so that it
always reports the global random state the grader set as the state after the call.
The grader also reads the source for calls that reseed the global generator,
which no patch in the worker can change.
"""

import torch
from torch.utils.data import DataLoader, TensorDataset

from autograder.testkit.probes import tensors

_real_loader_batches = tensors.loader_batches


def _forged_loader_batches(*args, **kwargs):  # ATTACK
    facts = _real_loader_batches(*args, **kwargs)
    if kwargs.get("rng_state") is not None:
        facts["rng_after"] = kwargs["rng_state"]
    return facts


tensors.loader_batches = _forged_loader_batches


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    generator = None
    if shuffle and seed is not None:
        torch.manual_seed(seed)  # the mistake: the global generator changes
        generator = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, generator=generator)


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
