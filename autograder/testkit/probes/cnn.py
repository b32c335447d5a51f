"""Probes for assignment 03: what must run beside the student's cnn.py.

``train_one_epoch``, ``evaluate`` and ``fit`` are graded on a trusted
:class:`TinyClassifier` over loaders built here from tensors, in a fixed
order, so that each task is graded apart from the student's ``Net``. The fit
probes also swap in trusted ``train_one_epoch`` and ``evaluate`` for the
duration of the call (as the scratch probes do), so that a mistake in one of those costs
its own task and not ``03.fit`` as well. Tests run the same probes on the
reference module in the grader's process to get the expected values.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograder.student.probes import probe
from autograder.testkit.probes.shared import (
    plain_number,
    set_stale_gradients,
    state_of,
    swapped_attributes,
)


class TinyClassifier(nn.Module):
    """A linear classifier that records, at every forward, how it was called."""

    def __init__(self, n_features: int, n_classes: int) -> None:
        """One nn.Linear(n_features, n_classes), and an empty record."""
        super().__init__()
        self.linear = nn.Linear(n_features, n_classes)
        self.seen: list[dict] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Record (training, grad enabled, rows, device), then compute the logits."""
        self.seen.append({"training": self.training, "grad_enabled": torch.is_grad_enabled(),
                          "rows": len(x), "device": x.device.type})
        return self.linear(x)


CRITERIA = {
    "cross_entropy": nn.CrossEntropyLoss,
    "smoothed": lambda: nn.CrossEntropyLoss(label_smoothing=0.2),
}
"""The trusted losses a probe may hand to the student's code, by name."""


def tiny_model(state_dict: dict, device="cpu") -> TinyClassifier:
    """A TinyClassifier holding ``state_dict`` (``linear.weight`` of shape (classes, features))."""
    n_classes, n_features = state_dict["linear.weight"].shape
    model = TinyClassifier(n_features, n_classes)
    model.load_state_dict(state_dict)
    return model.to(device)


def loader(inputs, labels, batch_size: int) -> DataLoader:
    """Batches of a TensorDataset in a fixed order (the last one may be smaller)."""
    return DataLoader(TensorDataset(inputs, labels), batch_size=batch_size, shuffle=False)


@probe
def train_epoch(module, start, inputs, labels, batch_size, lr, *, momentum=0.0, weight_decay=0.0,
                criterion="cross_entropy", mode="eval", stale_grad=None, device="cpu"):
    """Call ``train_one_epoch`` once on a trusted model starting from ``start``.

    The model starts in ``mode`` ("eval" or "train"); with ``stale_grad`` every
    parameter starts with a leftover gradient of that value.

    Returns:
        {"returned": what it returned, "type": its type's name, "state_dict": the
        parameters after, "seen": one record per forward call}.
    """
    model = tiny_model(start, device).train(mode == "train")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                                weight_decay=weight_decay)
    set_stale_gradients(model, stale_grad)
    result = module.train_one_epoch(model, loader(inputs, labels, batch_size), CRITERIA[criterion](),
                                    optimizer, device)
    return {"returned": plain_number(result), "type": type(result).__name__, "state_dict": state_of(model),
            "seen": model.seen}


@probe
def evaluate_model(module, start, inputs, labels, batch_size, *, criterion="cross_entropy",
                   mode="train", device="cpu"):
    """Call ``evaluate`` once on a trusted model starting from ``start`` in ``mode``.

    Returns:
        {"returned": the result (its numbers as plain floats), "types": the type
        names of its items, "state_dict": the parameters after, "grads": whether
        each parameter has a gradient after, "seen": one record per forward call}.
    """
    model = tiny_model(start, device).train(mode == "train")
    result = module.evaluate(model, loader(inputs, labels, batch_size), CRITERIA[criterion](), device)
    items = list(result) if isinstance(result, tuple | list) else [result]
    return {"returned": [plain_number(item) for item in items],
            "types": [type(item).__name__ for item in items],
            "state_dict": state_of(model),
            "grads": [parameter.grad is not None for parameter in model.parameters()],
            "seen": model.seen}


def _trusted_train_one_epoch(net, loader, criterion, optimizer, device):
    net.train()
    total_loss, count = 0.0, 0
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        count += len(labels)
    return total_loss / count


def _trusted_evaluate(net, loader, criterion, device):
    net.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            inputs, labels = inputs.to(device), labels.to(device)
            logits = net(inputs)
            total_loss += criterion(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            count += len(labels)
    return total_loss / count, correct / count


def _trusted_helpers(module, calls: list):
    """Replace train_one_epoch and evaluate by trusted ones that note their arguments."""

    def train_one_epoch(net, loader, criterion, optimizer, device):
        calls.append((optimizer, criterion))
        return _trusted_train_one_epoch(net, loader, criterion, optimizer, device)

    return swapped_attributes(module, {"train_one_epoch": train_one_epoch,
                                       "evaluate": _trusted_evaluate})


def _optimizer_facts(calls: list) -> dict:
    """What fit handed to train_one_epoch: how many optimizers, their kind and settings."""
    optimizers = []
    for optimizer, _ in calls:
        if not any(optimizer is seen for seen in optimizers):
            optimizers.append(optimizer)
    settings = [{key: group[key] for key in ("lr", "momentum", "weight_decay") if key in group}
                for optimizer in optimizers for group in optimizer.param_groups[:1]]
    return {"epochs_trained": len(calls), "optimizers": len(optimizers),
            "optimizer_types": sorted({type(optimizer).__name__ for optimizer in optimizers}),
            "optimizer_settings": settings,
            "criterion_types": sorted({type(criterion).__name__ for _, criterion in calls})}


@probe
def fit_model(module, start, train, test, batch_size, epochs, *, device="cpu", **fit_kwargs):
    """Call ``fit`` on a trusted model with trusted train_one_epoch and evaluate.

    Args:
        module: the module under test.
        start: the model's starting state_dict.
        train: (inputs, labels) of the training set.
        test: (inputs, labels) of the test set.
        batch_size: of both loaders (in a fixed order).
        epochs: passed to fit.
        device: passed to fit; the model starts on the CPU.
        **fit_kwargs: lr, momentum, weight_decay when given.

    Returns:
        {"history": what fit returned, "state_dict": the parameters after,
        "devices": where the parameters are after, plus what fit handed to
        train_one_epoch (see ``_optimizer_facts``)}.
    """
    model = tiny_model(start)
    calls: list = []
    with _trusted_helpers(module, calls):
        history = module.fit(model, loader(*train, batch_size), loader(*test, batch_size), epochs,
                             device=device, **fit_kwargs)
    if isinstance(history, dict):
        history = {key: [plain_number(value) for value in values] if isinstance(values, list) else values
                   for key, values in history.items()}
    devices = sorted({parameter.device.type for parameter in model.parameters()})
    return {"history": history, "state_dict": state_of(model), "devices": devices,
            **_optimizer_facts(calls)}


def _mnist_tensors(root: str, train: bool, count: int):
    from torchvision import datasets

    split = datasets.MNIST(root, train=train, download=False)
    images = (split.data[:count].float() / 255 - 0.5) / 0.5
    return images.unsqueeze(1), split.targets[:count]


@probe
def net_learns_mnist(module, root, *, n_train, n_test, batch_size, lr, epochs, seed=0):
    """Train the student's Net with the student's fit on MNIST digits; measure it here.

    Training and test digits are the first ``n_train`` / ``n_test`` of the
    sample, normalised to [-1, 1]; the training loader shuffles with a seeded
    generator. fit runs with trusted train_one_epoch and evaluate.

    Returns:
        {"accuracy": the trained Net's accuracy on the test digits, measured
        here, "finite": whether every parameter is finite}.
    """
    (x_train, y_train), (x_test, y_test) = (_mnist_tensors(root, True, n_train),
                                            _mnist_tensors(root, False, n_test))
    generator = torch.Generator().manual_seed(seed)
    train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True,
                              generator=generator)
    test_loader = loader(x_test, y_test, 500)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = module.Net()
    with _trusted_helpers(module, []):
        module.fit(net, train_loader, test_loader, epochs, lr=lr)
    net.eval()
    with torch.no_grad():
        predictions = net(x_test).argmax(dim=1)
    return {"accuracy": (predictions == y_test).float().mean().item(),
            "finite": all(torch.isfinite(p).all().item() for p in net.parameters())}


NET_LAYERS = ("conv1", "conv2", "pool", "relu", "fc1", "fc2")


@probe
def net_facts(module):
    """A fresh Net's layers (type names by attribute), parameter counts and state_dict shapes."""
    net = module.Net()
    parameters = list(net.parameters())
    return {"layers": {name: type(getattr(net, name, None)).__name__ for name in NET_LAYERS},
            "parameters": sum(p.numel() for p in parameters),
            "trainable": sum(p.numel() for p in parameters if p.requires_grad),
            "shapes": {key: tuple(value.shape) for key, value in net.state_dict().items()}}


@probe
def net_gradients(module, state_dict, inputs, labels):
    """Gradients of cross_entropy(Net(inputs), labels) for each parameter, by name, with state_dict loaded."""
    net = module.Net()
    net.load_state_dict(state_dict)
    nn.functional.cross_entropy(net(inputs), labels).backward()
    return {name: None if p.grad is None else p.grad.detach().clone()
            for name, p in net.named_parameters()}


def _pass_facts(data_loader, keep_images: str) -> dict:
    """One pass over a loader: batch sizes, labels, value range, dtypes and some images."""
    sizes, labels, images, shapes, dtypes = [], [], [], set(), set()
    low, high = float("inf"), float("-inf")
    for batch_images, batch_labels in data_loader:
        sizes.append(len(batch_labels))
        labels.append(batch_labels)
        shapes.add((tuple(batch_images.shape[1:]), tuple(batch_labels.shape[1:])))
        dtypes.add((str(batch_images.dtype), str(batch_labels.dtype)))
        low, high = min(low, batch_images.min().item()), max(high, batch_images.max().item())
        if keep_images == "all" or (keep_images == "first_batch" and not images):
            images.append(batch_images)
    return {"batch_sizes": sizes, "labels": torch.cat(labels) if labels else None,
            "images": torch.cat(images) if images else None, "min": low, "max": high,
            "shapes": sorted(shapes), "dtypes": sorted(dtypes)}


def _loader_facts(data_loader, passes: int, keep_images: str) -> dict:
    dataset = getattr(data_loader, "dataset", None)
    return {"type": type(data_loader).__name__,
            "is_dataloader": isinstance(data_loader, DataLoader),
            "dataset_size": len(dataset) if hasattr(dataset, "__len__") else None,
            "len": len(data_loader) if hasattr(data_loader, "__len__") else None,
            "passes": [_pass_facts(data_loader, keep_images if number == 0 else "none")
                       for number in range(passes)]}


@probe
def loader_facts(module, root, *args, train_passes=1, test_passes=1, as_path=False, **kwargs):
    """Call ``make_loaders(root, *args, **kwargs)`` and read the loaders it returns.

    ``root`` arrives as a string; ``as_path`` passes it as a pathlib.Path. The
    first pass over the training loader keeps its first batch of images, the
    first pass over the test loader keeps all of them.

    Returns:
        {"returned": the type name of the result, "count": its length (None if
        it has none), "train" and "test": each {"type", "is_dataloader",
        "dataset_size", "len", "passes": one summary per pass}}.
    """
    result = module.make_loaders(Path(root) if as_path else root, *args, **kwargs)
    facts = {"returned": type(result).__name__,
             "count": len(result) if isinstance(result, tuple | list) else None}
    if facts["count"] == 2:
        facts["train"] = _loader_facts(result[0], train_passes, "first_batch")
        facts["test"] = _loader_facts(result[1], test_passes, "all")
    return facts


@probe
def plot_png(module, history, filename="history.png", *, as_path=False):
    """Call ``plot_history(history, filename)`` in a fresh private folder and read what it wrote.

    ``filename`` is relative to that folder (the working directory during the
    call); ``as_path`` passes it as a pathlib.Path.

    Returns:
        {"returned": the type name of the result, "png": the file's bytes (None
        if absent), "files": what the folder holds, "figures_left_open": pyplot
        figures opened by the call and not closed}.
    """
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    folder = tempfile.mkdtemp(prefix="plot-", dir=os.environ.get("TMPDIR") or None)
    previous = os.getcwd()
    try:
        os.chdir(folder)
        result = module.plot_history(history, Path(filename) if as_path else filename)
        written = Path(folder, filename)
        return {"returned": type(result).__name__,
                "png": written.read_bytes() if written.is_file() else None,
                "files": sorted(os.listdir(folder)),
                "figures_left_open": len(set(plt.get_fignums()) - before)}
    finally:
        os.chdir(previous)
        shutil.rmtree(folder, ignore_errors=True)
