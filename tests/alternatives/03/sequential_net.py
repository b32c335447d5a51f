"""A CNN on MNIST: the Net is an nn.Sequential, the loops add up tensors and divide once at the end."""

import math
from collections import OrderedDict

import torch
from matplotlib.figure import Figure
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return math.floor((size + 2 * padding - kernel_size) / stride) + 1


class Net(nn.Sequential):
    """conv1 -> relu -> pool -> conv2 -> relu -> pool -> flatten -> fc1 -> relu -> fc2."""

    def __init__(self):
        relu = nn.ReLU()
        pool = nn.MaxPool2d(kernel_size=2, stride=2)
        side = conv_output_size(conv_output_size(conv_output_size(conv_output_size(28, 3), 2, 2), 3), 2, 2)
        super().__init__(OrderedDict([
            ("conv1", nn.Conv2d(1, 16, kernel_size=3)),
            ("relu", relu),
            ("pool", pool),
            ("conv2", nn.Conv2d(16, 32, kernel_size=3)),
            ("relu2", relu),
            ("pool2", pool),
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(32 * side * side, 120)),
            ("relu3", relu),
            ("fc2", nn.Linear(120, 10)),
        ]))


def make_loaders(root, batch_size=100, download=False):
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean=(0.5,), std=(0.5,))])
    splits = {train: datasets.MNIST(str(root), train=train, download=download, transform=pipeline)
              for train in (True, False)}
    return (DataLoader(splits[True], batch_size, shuffle=True),
            DataLoader(splits[False], batch_size))


def train_one_epoch(net, loader, criterion, optimizer, device):
    net.train()
    loss_sum = torch.zeros((), device=device)
    samples = 0
    for images, targets in loader:
        images = images.to(device)
        targets = targets.to(device)
        optimizer.zero_grad(set_to_none=True)
        batch_loss = criterion(net(images), targets)
        batch_loss.backward()
        optimizer.step()
        loss_sum += batch_loss.detach() * targets.numel()
        samples += targets.numel()
    return (loss_sum / samples).item()


@torch.inference_mode()
def evaluate(net, loader, criterion, device):
    net.eval()
    loss_sum, hits, samples = 0.0, 0, 0
    for images, targets in loader:
        images, targets = images.to(device), targets.to(device)
        scores = net(images)
        loss_sum += float(criterion(scores, targets)) * len(targets)
        hits += int((scores.argmax(1) == targets).sum())
        samples += len(targets)
    return loss_sum / samples, hits / samples


def fit(net, train_loader, test_loader, epochs, lr=0.01, momentum=0.9, weight_decay=0.005, device="cpu"):
    net = net.to(device)
    loss_fn = nn.CrossEntropyLoss()
    sgd = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    history = {}
    for _ in range(epochs):
        history.setdefault("train_loss", []).append(train_one_epoch(net, train_loader, loss_fn, sgd, device))
        history.setdefault("train_accuracy", []).append(evaluate(net, train_loader, loss_fn, device)[1])
        test_loss, test_accuracy = evaluate(net, test_loader, loss_fn, device)
        history.setdefault("test_loss", []).append(test_loss)
        history.setdefault("test_accuracy", []).append(test_accuracy)
    if not history:
        history = {"train_loss": [], "train_accuracy": [], "test_loss": [], "test_accuracy": []}
    return history


def plot_history(history, path):
    figure = Figure(figsize=(9, 4), dpi=100)
    left, right = figure.subplots(ncols=2)
    epochs = list(range(1, len(history["train_loss"]) + 1))
    for axes, name in ((left, "loss"), (right, "accuracy")):
        for split in ("train", "test"):
            axes.plot(epochs, history[f"{split}_{name}"], "o-", label=split)
        axes.set_xlabel("epoch")
        axes.set_ylabel(name)
        axes.legend()
    figure.savefig(path, format="png")
