"""Probes for assignment 03: what must run beside the student's cnn.py.

``train_one_epoch``, ``evaluate`` and ``fit`` are graded on a trusted
:class:`TinyClassifier` over loaders built here from tensors, in a fixed
order, so that each task is graded apart from the student's ``Net``. The fit
probes also swap in trusted ``train_one_epoch`` and ``evaluate`` for the
duration of the call (as the scratch probes do), so that a mistake in one of
those costs its own task and not ``03.fit`` as well. make_loaders has its own
probes in :mod:`autograder.testkit.probes.cnn_loaders`.

Nothing a probe reports is taken on trust. The trusted model keeps, at every
forward call, the batch it was fed, its parameters at that moment and its
output as computed; the grader replays the steps with the reference update
(:mod:`autograder.testkit.probes.cnn_replay`), reads gradient tracking from the
outputs' ``requires_grad``, and, since train mode has a fixed effect on the
model (half its inputs dropped), sees the mode in the numbers themselves.
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
from autograder.testkit.probes.cnn_parts import trusted_evaluate, trusted_train_one_epoch
from autograder.testkit.probes.shared import (
    grad_of,
    plain_number,
    set_stale_gradients,
    state_of,
    swapped_attributes,
)


def train_mode_mask(n_features: int, device=None) -> torch.Tensor:
    """The fixed effect of train mode: like dropout with p=0.5, but always the odd features dropped."""
    return (torch.arange(n_features, device=device) % 2 == 0).float() * 2


class TinyClassifier(nn.Module):
    """A linear classifier that drops a fixed half of its inputs in train mode and records its calls."""

    def __init__(self, n_features: int, n_classes: int) -> None:
        """One nn.Linear(n_features, n_classes), and empty records."""
        super().__init__()
        self.linear = nn.Linear(n_features, n_classes)
        self.records: list[dict] = []
        self.outputs: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Keep the batch and the parameters, compute the logits, keep them as computed."""
        record = {"inputs": x.detach().clone(), "state": state_of(self)}
        if self.training:
            x = x * train_mode_mask(x.shape[1], x.device)
        logits = self.linear(x)
        self.records.append({**record, "tracked": logits.requires_grad})
        self.outputs.append(logits)
        return logits


CRITERIA = {
    "cross_entropy": nn.CrossEntropyLoss,
    "smoothed": lambda: nn.CrossEntropyLoss(label_smoothing=0.2),
}
"""The trusted losses a probe may hand to the student's code, by name."""


def tiny_model(state_dict: dict, device="cpu") -> TinyClassifier:
    """A TinyClassifier holding ``state_dict`` (``linear.weight`` of shape (classes, features))."""
    n_classes, n_features = state_dict["linear.weight"].shape
    model = TinyClassifier(n_features, n_classes)
    model.load_state_dict({key: value.detach().cpu() for key, value in state_dict.items()})
    return model.to(device)


def loader(inputs, labels, batch_size: int) -> DataLoader:
    """Batches of a TensorDataset in a fixed order (the last one may be smaller)."""
    return DataLoader(TensorDataset(inputs, labels), batch_size=batch_size, shuffle=False)


@probe
def train_epoch(module, start, inputs, labels, batch_size, lr, *, momentum=0.0, weight_decay=0.0,
                criterion="cross_entropy", mode="train", stale_grad=None, device="cpu"):
    """Call ``train_one_epoch`` once on a trusted model starting from ``start``.

    The model starts in ``mode`` ("eval" or "train"); with ``stale_grad`` every
    parameter starts with a leftover gradient of that value.

    Returns:
        {"returned": what it returned, "type": its type's name, "state_dict": the
        parameters after, "records": per forward call the batch ("inputs") and
        the parameters then ("state")}.
    """
    model = tiny_model(start, device).train(mode == "train")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                                weight_decay=weight_decay)
    set_stale_gradients(model, stale_grad)
    result = module.train_one_epoch(model, loader(inputs, labels, batch_size), CRITERIA[criterion](),
                                    optimizer, device)
    return {"returned": plain_number(result), "type": type(result).__name__, "state_dict": state_of(model),
            "records": model.records}


@probe
def evaluate_model(module, start, inputs, labels, batch_size, *, criterion="cross_entropy",
                   mode="eval", device="cpu"):
    """Call ``evaluate`` once on a trusted model starting from ``start`` in ``mode``.

    Returns:
        {"returned": the result (its numbers as plain floats), "types": the type
        names of its items, "state_dict": the parameters after, "grads": each
        parameter's gradient after (None if it has none), "outputs": the model's
        outputs as computed, autograd history (requires_grad) kept, "devices":
        the devices of the batches it was fed}.
    """
    model = tiny_model(start, device).train(mode == "train")
    result = module.evaluate(model, loader(inputs, labels, batch_size), CRITERIA[criterion](), device)
    items = list(result) if isinstance(result, tuple | list) else [result]
    return {"returned": [plain_number(item) for item in items],
            "types": [type(item).__name__ for item in items],
            "state_dict": state_of(model),
            "grads": [grad_of(parameter) for parameter in model.parameters()],
            "outputs": list(model.outputs),
            "inputs": [record["inputs"] for record in model.records]}


def _trusted_helpers(module):
    """Replace train_one_epoch and evaluate by the trusted ones for the duration."""
    return swapped_attributes(module, {"train_one_epoch": trusted_train_one_epoch,
                                       "evaluate": trusted_evaluate})


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
        "records": per forward call the batch and the parameters then}.
    """
    model = tiny_model(start)
    with _trusted_helpers(module):
        history = module.fit(model, loader(*train, batch_size), loader(*test, batch_size), epochs,
                             device=device, **fit_kwargs)
    if isinstance(history, dict):
        history = {key: [plain_number(value) for value in values] if isinstance(values, list) else values
                   for key, values in history.items()}
    return {"history": history, "state_dict": state_of(model), "records": model.records}


def mnist_tensors(root: str, train: bool, count: int):
    """The first ``count`` digits of a split, scaled to [-1, 1], with their labels."""
    from torchvision import datasets

    split = datasets.MNIST(root, train=train, download=False)
    images = (split.data[:count].float() / 255 - 0.5) / 0.5
    return images.unsqueeze(1), split.targets[:count]


@probe
def net_learns_mnist(module, root, *, n_train, n_test, batch_size, lr, epochs, seed=0):
    """Train the student's Net with the student's fit on MNIST digits; return its test logits.

    Training and test digits are the first ``n_train`` / ``n_test`` of the
    sample, normalised to [-1, 1]; the training loader shuffles with a seeded
    generator. fit runs with trusted train_one_epoch and evaluate. The trained
    Net's logits on the test digits (in eval mode, without autograd) come back
    for the grader to score.

    Returns:
        The logits, of shape (n_test, 10) for a right Net.
    """
    (x_train, y_train), (x_test, y_test) = (mnist_tensors(root, True, n_train),
                                            mnist_tensors(root, False, n_test))
    generator = torch.Generator().manual_seed(seed)
    train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True,
                              generator=generator)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = module.Net()
    with _trusted_helpers(module):
        module.fit(net, train_loader, loader(x_test, y_test, 500), epochs, lr=lr)
    net.eval()
    with torch.no_grad():
        return net(x_test)


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
