"""Public tests of assignment 03. Run them with `pytest assignments/03`."""

import copy

import pytest
import torch
import torchvision
from torch import nn
from torch.nn import functional as F
from torch.testing import assert_close
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler, Subset, TensorDataset

# ---------------------------------------------------------------- helpers


def toy_data(n: int = 10, n_features: int = 4, n_classes: int = 3):
    """A small fixed classification problem: inputs (n, n_features), labels (n,)."""
    generator = torch.Generator().manual_seed(0)
    inputs = torch.randn(n, n_features, generator=generator)
    labels = torch.randint(0, n_classes, (n,), generator=generator)
    return inputs, labels


def toy_model(n_features: int = 4, n_classes: int = 3) -> nn.Module:
    """A linear classifier with fixed initial weights."""
    torch.manual_seed(0)
    return nn.Linear(n_features, n_classes)


def in_order(inputs, labels, batch_size: int = 4) -> DataLoader:
    """Batches in a fixed order; with 10 samples and batch_size 4 the last batch holds 2."""
    return DataLoader(TensorDataset(inputs, labels), batch_size=batch_size, shuffle=False)


def hand_written_sgd(model, loader, epochs, lr, momentum=0.0, weight_decay=0.0):
    """The training loop written out with torch.optim.SGD, for comparison."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    for _ in range(epochs):
        for inputs, labels in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(inputs), labels).backward()
            optimizer.step()
    return model


class Recorder(nn.Module):
    """Wraps a model and records, at every forward, its mode and whether autograd records."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner
        self.seen = []

    def forward(self, x):
        self.seen.append((self.training, torch.is_grad_enabled()))
        return self.inner(x)


MNIST_TRANSFORM = torchvision.transforms.Compose(
    [torchvision.transforms.ToTensor(), torchvision.transforms.Normalize((0.5,), (0.5,))]
)

# ---------------------------------------------------------------- 03.conv_output_size


@pytest.mark.task("03.conv_output_size")
@pytest.mark.parametrize(
    ("size", "kernel_size", "stride", "padding", "expected"),
    [(28, 3, 1, 0, 26), (26, 2, 2, 0, 13), (13, 3, 1, 0, 11), (11, 2, 2, 0, 5), (28, 5, 1, 2, 28)],
)
def test_conv_output_size_gives_the_sides_computed_by_hand(cnn, size, kernel_size, stride, padding, expected):
    result = cnn.conv_output_size(size, kernel_size, stride=stride, padding=padding)
    assert result == expected
    assert isinstance(result, int)


@pytest.mark.task("03.conv_output_size")
def test_conv_output_size_agrees_with_torch_conv2d(cnn):
    """Does it floor like Conv2d when the stride does not divide evenly?"""
    for size, kernel_size, stride, padding in [(7, 3, 2, 1), (10, 4, 3, 2), (9, 2, 2, 0)]:
        conv = nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)
        side = conv(torch.zeros(1, 1, size, size)).shape[-1]
        assert cnn.conv_output_size(size, kernel_size, stride, padding) == side


# ---------------------------------------------------------------- 03.Net


@pytest.mark.task("03.Net")
def test_net_maps_a_batch_of_digits_to_ten_logits(cnn):
    logits = cnn.Net()(torch.randn(4, 1, 28, 28))
    assert logits.shape == (4, 10)


@pytest.mark.task("03.Net")
def test_net_has_the_parameters_of_the_table(cnn):
    """Would a reference state_dict load into it: same names, same shapes, 102,130 numbers?"""
    shapes = {name: tuple(t.shape) for name, t in cnn.Net().state_dict().items()}
    assert shapes == {
        "conv1.weight": (16, 1, 3, 3),
        "conv1.bias": (16,),
        "conv2.weight": (32, 16, 3, 3),
        "conv2.bias": (32,),
        "fc1.weight": (120, 800),
        "fc1.bias": (120,),
        "fc2.weight": (10, 120),
        "fc2.bias": (10,),
    }
    assert sum(p.numel() for p in cnn.Net().parameters()) == 102_130


@pytest.mark.task("03.Net")
def test_net_forward_is_conv_relu_pool_twice_then_two_linear_layers(cnn):
    net = cnn.Net()
    x = torch.randn(3, 1, 28, 28)
    h = F.max_pool2d(F.relu(F.conv2d(x, net.conv1.weight, net.conv1.bias)), 2, 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, net.conv2.weight, net.conv2.bias)), 2, 2)
    h = F.relu(F.linear(h.flatten(1), net.fc1.weight, net.fc1.bias))
    expected = F.linear(h, net.fc2.weight, net.fc2.bias)
    assert_close(net(x), expected)


@pytest.mark.task("03.Net")
def test_net_runs_on_the_device(cnn, device):
    net = cnn.Net()
    x = torch.randn(2, 1, 28, 28)
    expected = net(x)
    logits = net.to(device)(x.to(device))
    assert logits.device.type == device
    assert_close(logits.cpu(), expected, atol=1e-4, rtol=1e-4)


# ---------------------------------------------------------------- 03.make_loaders


@pytest.mark.task("03.make_loaders")
def test_make_loaders_reads_the_offline_sample(cnn, mnist_root):
    train_loader, test_loader = cnn.make_loaders(mnist_root, batch_size=100)
    assert (len(train_loader.dataset), len(test_loader.dataset)) == (4000, 1000)
    images, labels = next(iter(train_loader))
    assert images.shape == (100, 1, 28, 28) and images.dtype == torch.float32
    assert labels.shape == (100,)


@pytest.mark.task("03.make_loaders")
def test_make_loaders_scales_pixels_to_minus_one_one_and_keeps_the_test_order(cnn, mnist_root):
    """Is a test batch (pixels / 255 - 0.5) / 0.5, in the order of the files?"""
    _, test_loader = cnn.make_loaders(mnist_root, batch_size=50)
    raw = torchvision.datasets.MNIST(mnist_root, train=False, download=False)
    images, labels = next(iter(test_loader))
    expected = (raw.data[:50].float() / 255 - 0.5) / 0.5
    assert_close(images, expected.unsqueeze(1))
    assert_close(labels, raw.targets[:50])


@pytest.mark.task("03.make_loaders")
def test_make_loaders_shuffles_the_training_set_only(cnn, mnist_root):
    train_loader, test_loader = cnn.make_loaders(mnist_root, batch_size=64)
    assert isinstance(train_loader.sampler, RandomSampler)
    assert isinstance(test_loader.sampler, SequentialSampler)
    assert len(train_loader) == 63  # 62 full batches of 64 and one of 32


# ---------------------------------------------------------------- 03.train_one_epoch


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_returns_the_mean_loss_per_sample(cnn):
    """With lr=0 nothing moves, so the answer is the cross-entropy over all 10 samples."""
    inputs, labels = toy_data()
    model = toy_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    result = cnn.train_one_epoch(model, in_order(inputs, labels), nn.CrossEntropyLoss(), optimizer, "cpu")
    assert isinstance(result, float)
    assert result == pytest.approx(F.cross_entropy(model(inputs), labels).item(), rel=1e-5)


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_updates_like_a_hand_written_sgd_loop(cnn):
    inputs, labels = toy_data()
    model = toy_model()
    expected = hand_written_sgd(copy.deepcopy(model), in_order(inputs, labels), 1, lr=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    cnn.train_one_epoch(model, in_order(inputs, labels), nn.CrossEntropyLoss(), optimizer, "cpu")
    assert_close(model.weight, expected.weight)
    assert_close(model.bias, expected.bias)


@pytest.mark.task("03.train_one_epoch")
def test_train_one_epoch_puts_the_net_in_train_mode(cnn):
    inputs, labels = toy_data()
    model = Recorder(toy_model()).eval()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    cnn.train_one_epoch(model, in_order(inputs, labels), nn.CrossEntropyLoss(), optimizer, "cpu")
    assert model.seen and all(training for training, _ in model.seen)


# ---------------------------------------------------------------- 03.evaluate


@pytest.mark.task("03.evaluate")
def test_evaluate_weighs_an_uneven_last_batch(cnn):
    """Batches of 4, 4 and 2: the result must equal the loss and accuracy over all 10."""
    inputs, labels = toy_data()
    model = toy_model()
    loss, accuracy = cnn.evaluate(model, in_order(inputs, labels), nn.CrossEntropyLoss(), "cpu")
    with torch.no_grad():
        logits = model(inputs)
    assert loss == pytest.approx(F.cross_entropy(logits, labels).item(), rel=1e-5)
    assert accuracy == pytest.approx((logits.argmax(1) == labels).sum().item() / 10)
    assert isinstance(loss, float) and isinstance(accuracy, float)


@pytest.mark.task("03.evaluate")
def test_evaluate_runs_in_eval_mode_without_gradients(cnn):
    inputs, labels = toy_data()
    model = Recorder(toy_model()).train()
    cnn.evaluate(model, in_order(inputs, labels), nn.CrossEntropyLoss(), "cpu")
    assert model.seen == [(False, False)] * 3  # three batches, each in eval mode, no autograd
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.task("03.evaluate")
def test_evaluate_moves_the_batches_to_the_device(cnn, device):
    inputs, labels = toy_data()
    model = toy_model()
    with torch.no_grad():
        logits = model(inputs)
    model.to(device)
    loss, accuracy = cnn.evaluate(model, in_order(inputs, labels), nn.CrossEntropyLoss(), device)
    assert loss == pytest.approx(F.cross_entropy(logits, labels).item(), rel=1e-4)
    assert accuracy == pytest.approx((logits.argmax(1) == labels).sum().item() / 10)


# ---------------------------------------------------------------- 03.fit


@pytest.mark.task("03.fit")
def test_fit_returns_one_float_per_epoch_in_each_list(cnn):
    inputs, labels = toy_data()
    history = cnn.fit(toy_model(), in_order(inputs, labels), in_order(inputs, labels), epochs=3)
    assert set(history) == {"train_loss", "train_accuracy", "test_loss", "test_accuracy"}
    for name, values in history.items():
        assert len(values) == 3, name
        assert all(isinstance(value, float) for value in values), name
    assert all(0.0 <= a <= 1.0 for a in history["train_accuracy"] + history["test_accuracy"])


@pytest.mark.task("03.fit")
def test_fit_is_sgd_with_momentum_and_weight_decay_built_once(cnn):
    """Two epochs of fit must match one SGD(lr, momentum=0.9, weight_decay=0.005) run."""
    inputs, labels = toy_data()
    model = toy_model()
    expected = hand_written_sgd(
        copy.deepcopy(model),
        in_order(inputs, labels),
        2,
        lr=0.1,
        momentum=0.9,
        weight_decay=0.005,
    )
    cnn.fit(model, in_order(inputs, labels), in_order(inputs, labels), epochs=2, lr=0.1)
    assert_close(model.weight, expected.weight)
    assert_close(model.bias, expected.bias)


@pytest.mark.task("03.fit")
def test_fit_learns_digits(cnn, mnist_root):
    """Does a linear classifier trained on 300 digits get 60 % of 200 others right?"""
    train_set = torchvision.datasets.MNIST(mnist_root, train=True, transform=MNIST_TRANSFORM)
    test_set = torchvision.datasets.MNIST(mnist_root, train=False, transform=MNIST_TRANSFORM)
    torch.manual_seed(0)
    train_loader = DataLoader(Subset(train_set, range(300)), batch_size=30, shuffle=True)
    test_loader = DataLoader(Subset(test_set, range(200)), batch_size=100)
    model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
    history = cnn.fit(model, train_loader, test_loader, epochs=3, lr=0.01)
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["test_accuracy"][-1] >= 0.6


# ---------------------------------------------------------------- 03.plot_history

HISTORY = {
    "train_loss": [1.2, 0.4, 0.2],
    "train_accuracy": [0.7, 0.9, 0.95],
    "test_loss": [0.6, 0.3, 0.3],
    "test_accuracy": [0.8, 0.9, 0.92],
}


@pytest.mark.task("03.plot_history")
def test_plot_history_writes_a_png_file(cnn, tmp_path):
    path = tmp_path / "history.png"
    assert cnn.plot_history(HISTORY, path) is None
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.task("03.plot_history")
def test_plot_history_leaves_no_figure_open(cnn, tmp_path):
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    cnn.plot_history(HISTORY, tmp_path / "history.png")
    assert set(plt.get_fignums()) == before
