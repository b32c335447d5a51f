# %% [markdown]
# # 02: A network from scratch
#
# PyTorch's layers, losses and optimisers are conveniences, not magic. Here you
# train a classifier for handwritten digits with nothing but tensors, autograd
# and a little arithmetic, in the spirit of Jeremy Howard's PyTorch tutorial
# that asks what the `nn` package really is. Once every piece is yours, the
# library versions of the next assignments read as shortcuts.
#
# The rules: no layers, no ready-made losses, no optimiser objects and no
# library softmax. Tensor operations (`@`, `exp`, `log`, `max`, `sum`, `mean`,
# `argmax`, indexing) and autograd are all you need.

# %%
"""Assignment 02: logistic regression on MNIST with plain tensors and autograd."""

import math

import torch

# %% [markdown]
# ## The data: MNIST
#
# MNIST holds 70,000 greyscale images of handwritten digits, 60,000 for
# training and 10,000 for testing, each 28x28 pixels with values 0 to 255 and
# a label from 0 to 9. Our model does not care where pixels sit, so each image
# is **flattened** into a vector of 28 * 28 = 784 numbers, and divided by 255 so
# that inputs lie in [0, 1]. A batch of images is then a float tensor `xb` of
# shape `(B, 784)` and its labels an integer tensor `yb` of shape `(B,)`.
#
# ## The model: logistic regression
#
# The simplest classifier gives each of the 10 classes a score, or **logit**,
# that is a weighted sum of the pixels plus a bias:
#
# $$z = x W + b, \qquad x: (B, 784),\ W: (784, 10),\ b: (10,),\ z: (B, 10).$$
#
# Note the layout: here `weights` has shape `(n_in, n_out)`, so no transpose is
# needed (the layer of assignment 01 stores the transpose). The bias
# broadcasts over the `B` rows.
#
# Scores become probabilities with the **softmax**, which exponentiates them
# (so they are positive) and divides by their sum (so they add up to 1):
#
# $$p_j = \frac{e^{z_j}}{\sum_k e^{z_k}}, \qquad
#   \log p_j = z_j - \log \sum_k e^{z_k}.$$
#
# We will only ever need $\log p$, the **log-softmax**.

# %% [markdown]
# ## The overflow trap
#
# Translating the formula literally gives the one-liner of that tutorial:
#
# ```python
# def log_softmax(x):
#     return x - x.exp().sum(-1).log().unsqueeze(-1)
# ```
#
# It works on small logits and breaks on large ones. A float32 overflows just
# above $e^{88}$, so for the logits `[[1000., 0.]]` the sum of exponentials is
# `inf`, its log is `inf`, and every output is `-inf`; the gradient is `nan`.
# For `[[-1000., -1001.]]` every exponential underflows to 0, the log of the
# sum is `-inf` and the outputs are `+inf`. Logits this large are not exotic:
# a badly scaled input or a too-large learning rate produces them, and one
# `nan` spreads through the whole model in a single update.
#
# The cure is an identity. For any constant $m$,
#
# $$\log \sum_k e^{z_k} = m + \log \sum_k e^{z_k - m}.$$
#
# Choose $m = \max_k z_k$. Then the largest exponent is $e^0 = 1$, nothing can
# overflow, the sum lies between 1 and the number of classes so its log is
# finite, and terms that underflow to 0 were too small to matter anyway.
# This is the **log-sum-exp trick**; `torch.logsumexp` implements it, and the
# log-softmax becomes $(z - m) - \log \sum_k e^{z_k - m}$. For `[[1000., 0.]]`
# that is exactly `[[0., -1000.]]`.

# %% [markdown]
# ## Task 02.log_softmax
#
# Work over the last dimension, so that the function serves a single vector,
# a batch, or anything with the classes last. Keep dimensions with
# `keepdim=True` so that the reductions broadcast back against `x`.

# %%
def log_softmax(x: torch.Tensor) -> torch.Tensor:
    """Log-softmax over the last dimension, stable for large magnitudes.

    Args:
        x: logits of shape (..., C).

    Returns:
        A tensor of the same shape whose exp sums to 1 along the last dimension.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 02.log_softmax")


# %% [markdown]
# ## The loss: negative log-likelihood
#
# A good model gives the right class a high probability. Its **negative
# log-likelihood** is $-\log p_{y}$: 0 for a certain and correct answer, large
# for a confident mistake. The loss of a batch is the mean over its rows:
#
# $$\ell = -\frac{1}{B} \sum_{i=1}^{B} \log p_{i, y_i}.$$
#
# To pick one entry per row, index with two integer tensors of the same
# length: `a[torch.arange(B), yb]` is the vector `a[0, yb[0]], a[1, yb[1]], ...`.
# Log-softmax followed by this loss is what is usually called cross-entropy.

# %% [markdown]
# ## Task 02.nll

# %%
def nll(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood of the target classes.

    Args:
        input: log-probabilities of shape (B, C), e.g. from log_softmax.
        target: class indices of shape (B,), integers in [0, C).

    Returns:
        A scalar tensor (shape ()), differentiable with respect to input.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 02.nll")


# %% [markdown]
# ## Task 02.accuracy
#
# The loss is what we optimise; accuracy is what we report. The predicted
# class of a row is the index of its largest score, `out.argmax(dim=1)`.
# Comparing with the labels gives booleans; turn them into floats before
# taking the mean.

# %%
def accuracy(out: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    """Fraction of rows whose highest score is the label.

    Args:
        out: scores or log-probabilities of shape (B, C).
        yb: labels of shape (B,).

    Returns:
        A float scalar tensor in [0, 1].
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 02.accuracy")


# %% [markdown]
# ## Parameters and leaf tensors
#
# Start from small random weights. With 784 inputs, weights drawn from a
# standard normal would give logits with a spread of about $\sqrt{784}$ times
# that of one term; dividing by $\sqrt{n_{in}}$ (Xavier initialisation) keeps
# the first logits of order 1. The bias starts at zero.
#
# Order matters. Autograd fills `.grad` only for **leaf** tensors, those created
# directly rather than computed from other tensors that require gradients.
# `torch.randn(...).requires_grad_() / 28` would be the result of a division,
# not a leaf, and its `.grad` would stay `None`. Divide first, then switch on
# gradient tracking in place with `.requires_grad_()`.

# %% [markdown]
# ## Task 02.init_params

# %%
def init_params(
    n_in: int = 784, n_out: int = 10, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random weights and zero bias for logistic regression, both requiring grad.

    Args:
        n_in: number of inputs (784 for flattened MNIST).
        n_out: number of classes.
        generator: the random source of torch.randn, for repeatable runs.

    Returns:
        (weights, bias): weights of shape (n_in, n_out) equal to
        torch.randn(n_in, n_out, generator=generator) / math.sqrt(n_in), bias
        zeros of shape (n_out,); both are leaf tensors with requires_grad=True.
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 02.init_params")


# %% [markdown]
# ## Task 02.model
#
# The whole network in one line: logits, then log-softmax.

# %%
def model(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Logistic regression: log_softmax(xb @ weights + bias).

    Args:
        xb: a batch of inputs of shape (B, n_in).
        weights: shape (n_in, n_out).
        bias: shape (n_out,).

    Returns:
        Log-probabilities of shape (B, n_out).
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 02.model")


# %% [markdown]
# ## Training by hand
#
# Stochastic gradient descent on mini-batches. For each batch, in order
# (batch `i` is `x[i*bs:(i+1)*bs]`; the last one may be smaller):
#
# 1. compute `loss = nll(model(xb, weights, bias), yb)` and call `loss.backward()`;
# 2. under `with torch.no_grad():`, step against the gradient, in place:
#    `weights -= weights.grad * lr` and the same for `bias`;
# 3. reset both gradients with `weights.grad.zero_()` and `bias.grad.zero_()`.
#
# Why `no_grad`? The update is not part of the model, and PyTorch refuses
# in-place changes to a leaf that requires gradients while recording. Why
# zero? Gradients accumulate: without it each step would use the sum of all
# previous ones. Why in place? `weights = weights - ...` would make a new,
# non-leaf tensor, and the caller's `weights` would never change.

# %% [markdown]
# ## Task 02.fit

# %%
def fit(
    x: torch.Tensor,
    y: torch.Tensor,
    weights: torch.Tensor,
    bias: torch.Tensor,
    lr: float = 0.5,
    epochs: int = 2,
    bs: int = 64,
) -> list[float]:
    """Train the model with mini-batch SGD, updating weights and bias in place.

    Each batch's loss is nll(model(xb, weights, bias), yb), with this module's
    model and nll; fit leaves weights.grad and bias.grad zeroed.

    Args:
        x: inputs of shape (N, n_in).
        y: labels of shape (N,).
        weights: shape (n_in, n_out), a leaf tensor requiring grad.
        bias: shape (n_out,), a leaf tensor requiring grad.
        lr: the learning rate.
        epochs: passes over the data.
        bs: batch size; batch i is x[i*bs:(i+1)*bs] with y[i*bs:(i+1)*bs], in order in
            every epoch (no shuffling), and the last one may be smaller.

    Returns:
        The loss of every batch, before its update, as Python floats
        (epochs * ceil(N / bs) values).
    """
    # YOUR CODE HERE
    raise NotImplementedError("Task 02.fit")


# %% [markdown]
# ## Try it on MNIST
#
# Run `python scratch.py` (or this cell) to download MNIST into `data/` and
# train for two epochs (offline, it uses the 5,000 digits that come with the
# course). Expect a test accuracy around 0.9 from a model with no hidden layer,
# written from scratch.

# %%
if __name__ == "__main__":
    try:
        from torchvision import datasets

        from autograder.data import mnist_root  # the full MNIST online, the course's sample offline

        def flat(split: datasets.MNIST) -> tuple[torch.Tensor, torch.Tensor]:
            """Images flattened to (N, 784) in [0, 1], and labels of shape (N,)."""
            return split.data.reshape(len(split.data), -1).float() / 255, split.targets

        root = mnist_root("data")
        x_train, y_train = flat(datasets.MNIST(root, train=True, download=False))
        x_test, y_test = flat(datasets.MNIST(root, train=False, download=False))
        weights, bias = init_params(generator=torch.Generator().manual_seed(0))
        losses = fit(x_train, y_train, weights, bias, lr=0.5, epochs=2, bs=64)
        print(f"first batch loss {losses[0]:.3f}, last batch loss {losses[-1]:.3f}")
        with torch.no_grad():
            out = model(x_test, weights, bias)
        print(f"test loss {nll(out, y_test).item():.3f}, accuracy {accuracy(out, y_test).item():.3f}")
    except NotImplementedError as missing:  # a task above is still a stub
        print(f"{missing} is not written yet: write it above, then run this cell again")
