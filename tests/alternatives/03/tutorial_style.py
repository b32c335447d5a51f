"""A CNN on MNIST, written the way the PyTorch "Training a classifier" tutorial writes it."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return int((size + 2 * padding - kernel_size) / stride) + 1


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.relu = nn.ReLU()
        self.fc1 = nn.Linear(32 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 32 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


def make_loaders(root, batch_size=100, download=False):
    transform = transforms.Compose(
        [transforms.ToTensor(),
         transforms.Normalize((0.5,), (0.5,))])
    trainset = torchvision.datasets.MNIST(root=root, train=True, download=download, transform=transform)
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True, num_workers=2)
    testset = torchvision.datasets.MNIST(root=root, train=False, download=download, transform=transform)
    testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=False, num_workers=2)
    return trainloader, testloader


def train_one_epoch(net, loader, criterion, optimizer, device):
    net.train()
    running_loss = 0.0
    total = 0
    for i, data in enumerate(loader, 0):
        # get the inputs; data is a list of [inputs, labels]
        inputs, labels = data[0].to(device), data[1].to(device)

        # zero the parameter gradients
        optimizer.zero_grad()

        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()

        running_loss += loss.item() * inputs.size(0)
        total += labels.size(0)
    return running_loss / total


def evaluate(net, loader, criterion, device):
    correct = 0
    total = 0
    running_loss = 0.0
    net.eval()
    # since we're not training, we don't need to calculate the gradients for our outputs
    with torch.no_grad():
        for data in loader:
            images, labels = data[0].to(device), data[1].to(device)
            # calculate outputs by running images through the network
            outputs = net(images)
            running_loss += criterion(outputs, labels).item() * labels.size(0)
            # the class with the highest energy is what we choose as prediction
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    return running_loss / total, correct / total


def fit(net, train_loader, test_loader, epochs, lr=0.01, momentum=0.9, weight_decay=0.005, device="cpu"):
    net.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    history = {"train_loss": [], "train_accuracy": [], "test_loss": [], "test_accuracy": []}
    for epoch in range(epochs):  # loop over the dataset multiple times
        train_loss = train_one_epoch(net, train_loader, criterion, optimizer, device)
        train_accuracy = evaluate(net, train_loader, criterion, device)[1]
        test_loss, test_accuracy = evaluate(net, test_loader, criterion, device)
        history["train_loss"].append(train_loss)
        history["train_accuracy"].append(train_accuracy)
        history["test_loss"].append(test_loss)
        history["test_accuracy"].append(test_accuracy)
        print(f"[{epoch + 1}] loss: {train_loss:.3f} test accuracy: {100 * test_accuracy:.1f} %")
    print("Finished Training")
    return history


def plot_history(history, path):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(history["train_loss"], label="train")
    ax1.plot(history["test_loss"], label="test")
    ax1.set_title("loss")
    ax1.legend()
    ax2.plot(history["train_accuracy"], label="train")
    ax2.plot(history["test_accuracy"], label="test")
    ax2.set_title("accuracy")
    ax2.legend()
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    trainloader, testloader = make_loaders("./data", download=True)
    net = Net()
    plot_history(fit(net, trainloader, testloader, 2), "history.png")
