"""Hidden tests of conv_output_size and Net."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torch.nn import functional as F

from autograder.testkit.compare import assert_tensors_match
from autograder.testkit.probes import cnn

# ---------------------------------------------------------------- conv_output_size


@st.composite
def conv_settings(draw):
    """(size, kernel_size, stride, padding) for which a convolution has at least one output."""
    kernel_size = draw(st.integers(1, 7), label="kernel_size")
    stride = draw(st.integers(1, 5), label="stride")
    padding = draw(st.integers(0, 3), label="padding")
    size = draw(st.integers(max(1, kernel_size - 2 * padding), 64), label="size")
    return size, kernel_size, stride, padding


def _formula(size, kernel_size, stride, padding):
    return (size + 2 * padding - kernel_size) // stride + 1


def _check_size(result, expected, call):
    assert type(result) is int, f"{call}: expected a Python int, got {type(result).__name__} {result!r}"
    assert result == expected, f"{call}: expected {expected}, got {result}"


@pytest.mark.task("03.conv_output_size", weight=2)
@given(conv_settings())
def test_conv_output_size_follows_the_formula(student, settings):
    size, kernel_size, stride, padding = settings
    call = f"conv_output_size({size}, {kernel_size}, stride={stride}, padding={padding})"
    _check_size(student.conv_output_size(size, kernel_size, stride=stride, padding=padding),
                _formula(*settings), call)


@pytest.mark.task("03.conv_output_size")
@pytest.mark.parametrize("settings", [(28, 5, 3, 1), (15, 4, 2, 2), (9, 3, 4, 0), (3, 5, 2, 1)],
                         ids=str)
def test_conv_output_size_agrees_with_conv2d_and_maxpool2d(student, settings):
    """Does it floor like Conv2d and MaxPool2d when the stride does not divide evenly?"""
    size, kernel_size, stride, padding = settings
    image = torch.zeros(1, 1, size, size)
    conv_side = nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)(image).shape[-1]
    call = f"conv_output_size({size}, {kernel_size}, {stride}, {padding})"
    _check_size(student.conv_output_size(size, kernel_size, stride, padding), conv_side,
                f"{call} (what nn.Conv2d gives)")
    if padding <= kernel_size // 2:  # what MaxPool2d accepts
        pool_side = nn.MaxPool2d(kernel_size, stride=stride, padding=padding)(image).shape[-1]
        _check_size(student.conv_output_size(size, kernel_size, stride, padding), pool_side,
                    f"{call} (what nn.MaxPool2d gives)")


@pytest.mark.task("03.conv_output_size")
def test_conv_output_size_defaults_to_stride_one_without_padding(student):
    for size, kernel_size in [(28, 3), (13, 3), (7, 7), (10, 1)]:
        _check_size(student.conv_output_size(size, kernel_size), size - kernel_size + 1,
                    f"conv_output_size({size}, {kernel_size})")


# ---------------------------------------------------------------- Net


def _reference_state(reference, seed: int) -> dict:
    """The state_dict of a reference Net built under torch.manual_seed(seed)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return reference.Net().state_dict()


def _reference_output(reference, state: dict, x: torch.Tensor) -> torch.Tensor:
    net = reference.Net()
    net.load_state_dict(state)
    with torch.no_grad():
        return net(x)


def _images(rows: int, seed: int) -> torch.Tensor:
    return torch.rand((rows, 1, 28, 28), generator=torch.Generator().manual_seed(seed)) * 2 - 1


EXPECTED_SHAPES = {
    "conv1.weight": (16, 1, 3, 3), "conv1.bias": (16,),
    "conv2.weight": (32, 16, 3, 3), "conv2.bias": (32,),
    "fc1.weight": (120, 800), "fc1.bias": (120,),
    "fc2.weight": (10, 120), "fc2.bias": (10,),
}


@pytest.mark.task("03.Net", weight=2)
@given(st.integers(1, 6), st.integers(0, 2**16))
def test_net_with_the_reference_weights_gives_the_reference_logits(student, reference, rows, seed):
    state = _reference_state(reference, seed)
    x = _images(rows, seed)
    net = student.Net()
    net.load_state_dict(state)
    assert_tensors_match(net(x), _reference_output(reference, state, x),
                         f"Net()(x) for x of shape {tuple(x.shape)} with the reference's state_dict "
                         f"loaded (seed {seed})", rtol=1e-4, atol=1e-5)


@pytest.mark.task("03.Net")
@given(st.integers(0, 2**16))
def test_net_matches_the_reference_with_large_weights(student, reference, seed):
    """With large weights every misplaced ReLU, pooling or flatten shows clearly."""
    state = {key: value * 4 for key, value in _reference_state(reference, 7).items()}
    x = _images(3, seed)
    net = student.Net()
    net.load_state_dict(state)
    assert_tensors_match(net(x), _reference_output(reference, state, x),
                         f"Net()(x) for x of shape (3, 1, 28, 28) (seed {seed}) with the "
                         "reference's weights (scaled by 4) loaded",
                         rtol=1e-4, atol=1e-4)


@pytest.mark.task("03.Net")
def test_net_state_dict_has_the_reference_names_and_shapes(student):
    shapes = {key: tuple(value.shape) for key, value in student.Net().state_dict().items()}
    missing = sorted(set(EXPECTED_SHAPES) - set(shapes))
    extra = sorted(set(shapes) - set(EXPECTED_SHAPES))
    assert not missing and not extra, (
        f"Net().state_dict(): expected the keys {sorted(EXPECTED_SHAPES)}, "
        f"missing {missing}, unexpected {extra}")
    wrong = {key: shape for key, shape in shapes.items() if shape != EXPECTED_SHAPES[key]}
    assert not wrong, ("Net().state_dict(): expected the shapes "
                       f"{ {key: EXPECTED_SHAPES[key] for key in wrong} }, got {wrong}")


@pytest.mark.task("03.Net")
def test_net_has_102130_trainable_parameters_in_the_named_layers(student):
    facts = student.probe(cnn.net_facts)
    assert facts["parameters"] == 102_130, (
        f"Net(): expected 102,130 parameters, got {facts['parameters']:,}")
    assert facts["trainable"] == facts["parameters"], (
        f"Net(): expected every parameter to require grad, but only {facts['trainable']:,} of "
        f"{facts['parameters']:,} do")
    expected = {"conv1": "Conv2d", "conv2": "Conv2d", "pool": "MaxPool2d", "relu": "ReLU",
                "fc1": "Linear", "fc2": "Linear"}
    wrong = {name: kind for name, kind in facts["layers"].items() if kind != expected[name]}
    assert not wrong, (
        f"Net(): expected the attributes {expected}, got {wrong} ('NoneType' means missing)")


@pytest.mark.task("03.Net")
@pytest.mark.parametrize("rows", [1, 64])
def test_net_handles_a_single_image_and_a_large_batch(student, reference, rows):
    state = _reference_state(reference, rows)
    x = _images(rows, seed=100 + rows)
    net = student.Net()
    net.load_state_dict(state)
    assert_tensors_match(net(x), _reference_output(reference, state, x),
                         f"Net()(x) for a batch of {rows} image(s), with the reference's state_dict",
                         rtol=1e-4, atol=1e-5)


@pytest.mark.task("03.Net")
def test_gradients_reach_every_layer_of_the_net(student, reference):
    state = _reference_state(reference, 3)
    x = _images(5, seed=3)
    labels = torch.tensor([0, 3, 7, 9, 1])
    net = reference.Net()
    net.load_state_dict(state)
    F.cross_entropy(net(x), labels).backward()
    got = student.probe(cnn.net_gradients, state, x, labels)
    for name, parameter in net.named_parameters():
        assert got.get(name) is not None, (
            f"after cross_entropy(Net()(x), labels).backward(): {name}.grad is None, expected a "
            "gradient (does the forward pass detach or leave out that layer?)")
        assert_tensors_match(got[name], parameter.grad,
                             f"{name}.grad after cross_entropy(Net()(x), labels).backward() with "
                             "the reference's state_dict", rtol=1e-4, atol=1e-6)


@pytest.mark.task("03.Net")
def test_net_runs_on_the_device(student, reference, device):
    state = _reference_state(reference, 11)
    x = _images(4, seed=11)
    expected = _reference_output(reference, state, x)
    net = student.Net()
    net.load_state_dict(state)
    got = net.to(device)(x.to(device))
    assert_tensors_match(got, expected.to(device), f"Net().to({device!r})(x) for x on {device}",
                         rtol=1e-4, atol=1e-4)
