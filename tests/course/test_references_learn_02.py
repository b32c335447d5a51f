"""Does the reference of assignment 02 actually learn, and is its log-softmax exact?"""

import pytest
import torch
import torchvision
from hypothesis import given
from hypothesis import strategies as st
from torch.testing import assert_close

from autograder.submission import import_module_file
from tests.course_under_test import LAYOUT


@pytest.fixture(scope="module")
def scratch():
    return import_module_file(LAYOUT.solutions("02") / "scratch.py")


def flattened(mnist_root, train):
    """Images as (N, 784) floats in [0, 1], labels as (N,) integers."""
    split = torchvision.datasets.MNIST(mnist_root, train=train, download=False)
    return split.data.reshape(len(split.data), -1).float() / 255, split.targets


def test_reference_reaches_85_percent_on_held_out_digits(scratch, mnist_root):
    x_train, y_train = flattened(mnist_root, train=True)
    x_test, y_test = flattened(mnist_root, train=False)
    assert x_train.shape == (4000, 784) and x_test.shape == (1000, 784)
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0

    torch.manual_seed(0)
    weights, bias = scratch.init_params()
    losses = scratch.fit(x_train, y_train, weights, bias, lr=0.5, epochs=2, bs=64)

    assert len(losses) == 2 * 63  # 4,000 digits in batches of 64: 62 full ones and 32 left
    assert losses[-1] < losses[0]
    with torch.no_grad():
        held_out = scratch.accuracy(scratch.model(x_test, weights, bias), y_test).item()
    assert held_out >= 0.85, f"held-out accuracy {held_out:.3f}"


@given(
    seed=st.integers(0, 2**16),
    scale=st.floats(1e-3, 1e4),
    shape=st.sampled_from([(10,), (4, 10), (2, 3, 7), (1, 2)]),
)
def test_reference_log_softmax_equals_torch_up_to_1e4(scratch, seed, scale, shape):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * scale
    result = scratch.log_softmax(x)
    assert torch.isfinite(result).all()
    assert_close(result, torch.log_softmax(x, dim=-1))


@pytest.mark.parametrize(
    ("logits", "expected"),
    [
        ([[1000.0, 0.0]], [[0.0, -1000.0]]),
        ([[-1000.0, -1000.0]], [[-0.6931472, -0.6931472]]),
        ([[1e4, -1e4, 1e4]], [[-0.6931472, -2e4 - 0.6931472, -0.6931472]]),
    ],
)
def test_reference_log_softmax_by_hand_at_extremes(scratch, logits, expected):
    assert_close(scratch.log_softmax(torch.tensor(logits)), torch.tensor(expected))
