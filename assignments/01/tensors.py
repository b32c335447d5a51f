# %% [markdown]
# # 01: Tensors and autograd
#
# Everything in PyTorch is built from one object, the **tensor**: an
# n-dimensional array of numbers that knows its shape, its data type (`dtype`)
# and the device it lives on, and that can remember how it was computed so
# that gradients come for free. This assignment walks from plain arithmetic
# on tensors to the four lines that train every network in this course.
#
# Work through the text, fill in each function where it says
# `raise NotImplementedError`, and check yourself with `pytest assignments/01`.

# %%
"""Assignment 01: tensors, broadcasting, autograd, devices, data loaders and one training step."""

from collections.abc import Callable, Sequence

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# %% [markdown]
# ## Shapes and broadcasting
#
# A tensor's `shape` lists its size along each dimension: a batch of 32 RGB
# images of 28x28 pixels has shape `(32, 3, 28, 28)`; a single number has
# shape `()`. Most bugs in deep-learning code are shape bugs, so print
# `x.shape` often.
#
# Elementwise operations (`+`, `*`, `torch.exp`, ...) on two tensors of
# different shapes still work when the shapes are **broadcastable**. Compare
# the shapes from the right: two sizes match when they are equal or when one
# of them is 1 (or missing), and the size-1 side is repeated, without copying
# memory. So `(4, 3) + (3,)` adds the row vector to each of the 4 rows, and
# `(5, 1, 1) * (5, 2, 3)` scales each of the five 2x3 matrices by its own
# number. `x.unsqueeze(d)`, `x.reshape(...)` and indexing with `None` insert the
# size-1 dimensions that make broadcasting do what you mean.
#
# `torch.stack(tensors)` puts equal-shape tensors on top of each other along a
# new first dimension: three tensors of shape `(2, 3)` become one of shape
# `(3, 2, 3)`, and `.sum(dim=0)` then adds them up again.

# %% [markdown]
# ## Task 01.linear_combination
#
# Given tensors $x_1, \dots, x_k$ of one shape and numbers $w_1, \dots, w_k$,
# return $\sum_i w_i x_i$. A Python loop works; try stacking and broadcasting.

# %%
def linear_combination(
    xs: Sequence[torch.Tensor], weights: Sequence[float] | torch.Tensor
) -> torch.Tensor:
    """The weighted sum of equal-shape tensors, sum_i weights[i] * xs[i].

    Args:
        xs: k tensors, all of the same shape S.
        weights: k numbers, as a sequence of floats or a 1-D tensor of shape (k,).

    Returns:
        A tensor of shape S.

    Raises:
        ValueError: if xs is empty or xs and weights differ in length.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 01.linear_combination")


# %% [markdown]
# ## Matrix products and `nn.Linear`
#
# `a @ b` is the matrix product: `(n, k) @ (k, m)` gives `(n, m)`, and the
# inner sizes must agree. A fully connected layer `nn.Linear(in_features,
# out_features)` stores its weight `W` with shape `(out, in)`, one row per
# output, and a bias `b` of shape `(out,)`. For a batch `x` of shape `(n, in)` it
# computes `x @ W.T + b`: the product gives `(n, out)` and the bias broadcasts
# over the `n` rows. When `x` is a single vector of shape `(in,)`, `@` treats it
# as a row and the result has shape `(out,)`.

# %% [markdown]
# ## Task 01.affine

# %%
def affine(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The affine map x @ W.T + b computed by nn.Linear.

    Args:
        x: inputs of shape (n, in), or one input of shape (in,).
        W: weights of shape (out, in).
        b: bias of shape (out,).

    Returns:
        Outputs of shape (n, out), or (out,) for a single input.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 01.affine")


# %% [markdown]
# ## Autograd
#
# Create a tensor with `requires_grad=True` and PyTorch records every operation
# done with it in a graph. Calling `.backward()` on a scalar result walks that
# graph backwards with the chain rule and stores $\partial y / \partial x$ in
# `x.grad`. For `x = torch.tensor(2.0, requires_grad=True)` and
# `y = 3 * x ** 2`, `y.backward()` leaves `12.0` in `x.grad`.
#
# Three things to know: gradients **accumulate** (a second `backward` adds to
# `x.grad`, it does not overwrite it); only floating-point tensors can require
# gradients; and `.item()` turns a one-element tensor into a Python number.
# Inside `with torch.no_grad():` nothing is recorded, which is what you want
# when updating weights or evaluating a model.

# %% [markdown]
# ## Task 01.derivative
#
# `f` is a function built from torch operations (`torch.sin`, `**`, ...).
# Return $f'(x_0)$ computed by autograd, not by finite differences.

# %%
def derivative(f: Callable[[torch.Tensor], torch.Tensor], x0: float) -> float:
    """The derivative of a scalar function at one point, by autograd.

    Args:
        f: maps a 0-d tensor to a 0-d tensor using torch operations.
        x0: the point at which to differentiate, a float or an int (2 and 2.0 give the
            same result).

    Returns:
        f'(x0) as a Python float (e.g. 12.0 for 3 * x ** 2 at 2).
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 01.derivative")


# %% [markdown]
# ## Devices
#
# A tensor lives on a device: `cpu`, or `cuda` for an NVIDIA GPU.
# `torch.cuda.is_available()` says whether a GPU can be used, and
# `x.to(device)` or `model.to(device)` moves data or parameters. Operations
# need all their inputs on the same device; mixing them raises an error.
# Writing code against a `torch.device` chosen once at the top lets the same
# script run on a laptop and on a GPU server.

# %% [markdown]
# ## Task 01.select_device
#
# `"auto"` picks `cuda` when a GPU is available and `cpu` otherwise; `"cpu"`
# and `"cuda"` are obeyed. Asking for `"cuda"` on a machine without a GPU is
# a `RuntimeError` with a message saying so; any other value a `ValueError`.

# %%
def select_device(prefer: str = "auto") -> torch.device:
    """The device to compute on.

    Args:
        prefer: "auto", "cpu" or "cuda".

    Returns:
        torch.device("cuda") or torch.device("cpu").

    Raises:
        RuntimeError: if "cuda" is asked for and no GPU is available.
        ValueError: if prefer is not one of the three choices.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 01.select_device")


# %% [markdown]
# ## Datasets and DataLoaders
#
# Training rarely looks at the whole data set at once; it works on
# **mini-batches**. `TensorDataset(x, y)` pairs row `i` of `x` with row `i` of
# `y`, and `DataLoader(dataset, batch_size=...)` yields `(xb, yb)` batches of
# that many rows (the last one may be smaller). With `shuffle=True` the order is
# reshuffled at every pass over the data (every **epoch**).
#
# Shuffling uses random numbers. To make a run repeatable without touching
# the global random state, give the loader its own `torch.Generator` seeded
# with `generator.manual_seed(seed)`: the same seed then gives the same order.

# %% [markdown]
# ## Task 01.make_loader

# %%
def make_loader(
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    shuffle: bool = False,
    seed: int | None = None,
) -> DataLoader:
    """A DataLoader over the pairs (x[i], y[i]).

    Args:
        x: inputs of shape (N, ...).
        y: targets of shape (N, ...).
        batch_size: rows per batch; the last batch may be smaller.
        shuffle: whether to reshuffle the rows at every epoch.
        seed: when shuffling, seeds the loader's own torch.Generator so the order repeats:
            the rows come in the order of DataLoader(..., shuffle=True,
            generator=torch.Generator().manual_seed(seed)), and torch's global random
            state is left alone.

    Returns:
        A DataLoader yielding (xb, yb) with xb of shape (batch_size, ...).
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 01.make_loader")


# %% [markdown]
# ## The training step
#
# Every training loop in this course repeats the same five moves per batch:
#
# 1. `optimizer.zero_grad()`: clear the gradients left by the previous step
#    (they accumulate, remember);
# 2. `pred = model(xb)`: the forward pass;
# 3. `loss = loss_fn(pred, yb)`: one number saying how wrong the model is;
# 4. `loss.backward()`: the gradient of the loss for every parameter;
# 5. `optimizer.step()`: move each parameter a little against its gradient.
#
# Forgetting step 1 is the classic bug: the model still trains, but on the sum
# of all past gradients. Return `loss.item()`, a float, rather than the tensor,
# so that a list of losses does not keep every graph alive.

# %% [markdown]
# ## Task 01.train_step

# %%
def train_step(
    model: nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    xb: torch.Tensor,
    yb: torch.Tensor,
) -> float:
    """One optimisation step on one batch.

    Gradients left on the parameters by earlier code are cleared first
    (optimizer.zero_grad() before backward), so the step uses this batch's only.

    Args:
        model: the network; model(xb) gives the predictions.
        loss_fn: maps (predictions, targets) to a scalar loss tensor.
        optimizer: holds the model's parameters.
        xb: a batch of inputs of shape (B, ...).
        yb: the matching targets of shape (B, ...).

    Returns:
        The batch's loss, before the update, as a Python float.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 01.train_step")


# %% [markdown]
# ## Putting it together
#
# Fit a straight line $y = 3x - 0.5$ from noisy points with the pieces above.

# %%
if __name__ == "__main__":
    try:
        torch.manual_seed(0)
        device = select_device()
        x = torch.linspace(-1, 1, 256).unsqueeze(1)  # (256, 1)
        y = 3 * x - 0.5 + 0.1 * torch.randn_like(x)
        loader = make_loader(x, y, batch_size=32, shuffle=True, seed=0)
        line = nn.Linear(1, 1).to(device)
        sgd = torch.optim.SGD(line.parameters(), lr=0.1)
        for epoch in range(1, 21):
            losses = [
                train_step(line, nn.MSELoss(), sgd, xb.to(device), yb.to(device)) for xb, yb in loader
            ]
            if epoch % 5 == 0:
                print(f"epoch {epoch:2d}: mean loss {sum(losses) / len(losses):.4f}")
        print(f"slope {line.weight.item():.3f}, intercept {line.bias.item():.3f}")
    except NotImplementedError as missing:  # a task above is still a stub
        print(f"{missing} is not written yet: write it above, then run this cell again")
