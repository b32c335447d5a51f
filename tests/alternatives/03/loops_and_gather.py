"""A CNN on MNIST with plain loops, worker processes for loading, and torch.gather for the hits."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
import torchvision
from torch import nn, optim
from torch.utils.data import DataLoader


def conv_output_size(size, kernel_size, stride=1, padding=0):
    positions = 0
    start = 0
    while start + kernel_size <= size + 2 * padding:
        positions += 1
        start += stride
    return positions


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=16, kernel_size=3)
        self.conv2 = nn.Conv2d(in_channels=16, out_channels=32, kernel_size=3)
        self.pool = nn.MaxPool2d(2, stride=2)
        self.relu = nn.ReLU(inplace=True)
        self.fc1 = nn.Linear(800, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        for conv in (self.conv1, self.conv2):
            x = self.pool(self.relu(conv(x)))
        x = x.reshape(x.shape[0], -1)
        return self.fc2(self.relu(self.fc1(x)))


def make_loaders(root, batch_size=100, download=False):
    to_tensor = torchvision.transforms.ToTensor()
    normalize = torchvision.transforms.Normalize([0.5], [0.5])
    transform = torchvision.transforms.Compose([to_tensor, normalize])
    train_data = torchvision.datasets.MNIST(root, train=True, transform=transform, download=download)
    test_data = torchvision.datasets.MNIST(root, train=False, transform=transform, download=download)
    train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True, num_workers=1)
    test_loader = DataLoader(test_data, batch_size=batch_size, shuffle=False, num_workers=1)
    return train_loader, test_loader


def train_one_epoch(net, loader, criterion, optimizer, device):
    net.train()
    losses = []
    sizes = []
    for batch in loader:
        x = batch[0].to(device)
        y = batch[1].to(device)
        optimizer.zero_grad()
        out = net(x)
        loss = criterion(out, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(y.shape[0])
    total = 0.0
    for loss, size in zip(losses, sizes):
        total += loss * size
    return total / sum(sizes)


def evaluate(net, loader, criterion, device):
    net.train(False)
    loss_total = 0.0
    n_correct = 0
    n = 0
    with torch.set_grad_enabled(False):
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = net(x)
            loss_total += criterion(logits, y).item() * y.shape[0]
            label_scores = torch.gather(logits, 1, y.unsqueeze(1)).squeeze(1)
            n_correct += (label_scores >= logits.max(dim=1).values).sum().item()
            n += y.shape[0]
    return loss_total / n, n_correct / n


def fit(net, train_loader, test_loader, epochs, lr=0.01, momentum=0.9, weight_decay=0.005, device="cpu"):
    net.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr, momentum, weight_decay=weight_decay)
    train_loss, train_accuracy, test_loss, test_accuracy = [], [], [], []
    epoch = 0
    while epoch < epochs:
        train_loss.append(train_one_epoch(net, train_loader, criterion, optimizer, device))
        train_accuracy.append(evaluate(net, train_loader, criterion, device)[1])
        loss, accuracy = evaluate(net, test_loader, criterion, device)
        test_loss.append(loss)
        test_accuracy.append(accuracy)
        epoch += 1
    return {"train_loss": train_loss, "train_accuracy": train_accuracy,
            "test_loss": test_loss, "test_accuracy": test_accuracy}


def plot_history(history, path):
    fig = plt.figure(figsize=(10, 4))
    plt.subplot(1, 2, 1)
    plt.plot(history["train_loss"], label="train loss")
    plt.plot(history["test_loss"], label="test loss")
    plt.legend()
    plt.subplot(1, 2, 2)
    plt.plot(history["train_accuracy"], label="train accuracy")
    plt.plot(history["test_accuracy"], label="test accuracy")
    plt.legend()
    plt.savefig(path)
    plt.close(fig)
