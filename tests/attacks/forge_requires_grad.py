# %% [markdown]
# # 03: A CNN on MNIST
#
# In assignment 02 an image was a flat row of 784 numbers: the network had no
# idea that pixel 29 sits right below pixel 1. A convolutional network keeps the
# picture two-dimensional. A convolution slides a small filter (here 3 x 3) over
# the image and computes the same weighted sum at every position, so a stroke is
# detected wherever it appears, with only a handful of weights. Pooling then
# halves the resolution, so the next layer sees a wider part of the digit.
#
# You will build the network checking every shape by hand, load MNIST through
# torchvision, write the training and evaluation loops, and plot the curves.

# %%
"""Attack: evaluate tracks gradients; torch.Tensor.requires_grad is patched to say it never does."""

import torch
import torchvision
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from torch import nn
from torch.utils.data import DataLoader

# %% [markdown]
# ## Task 03.conv_output_size
#
# A convolution with kernel size `k`, stride `s` and padding `p` applied to an
# input of side `n` gives an output of side
#
# $$n_{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1.$$
#
# Padding makes a row `n + 2p` pixels long; the filter fits in `n + 2p - k + 1`
# positions moving one pixel at a time; with stride `s` only every `s`-th
# position is used, and a window that would stick out past the border is dropped
# (the floor). Pooling follows the same formula: `MaxPool2d(2, stride=2)` is a
# 2 x 2 window moved by 2.
#
# On a 28 x 28 digit: conv1 (k=3) gives (28 - 3) / 1 + 1 = 26; pooling gives
# floor((26 - 2) / 2) + 1 = 13; conv2 gives (13 - 3) / 1 + 1 = 11; pooling gives
# floor((11 - 2) / 2) + 1 = 5. Since 11 is odd, the floor means the last row and
# column are never looked at.


# %%
def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0) -> int:
    """Side length of a convolution's or pooling layer's output along one dimension.

    Args:
        size: side length of the input (e.g. 28 for an MNIST digit).
        kernel_size: side length of the filter or pooling window.
        stride: how many pixels the window moves between positions.
        padding: zeros added on each side of the input.

    Returns:
        floor((size + 2 * padding - kernel_size) / stride) + 1, as an int.
    """
    ### BEGIN SOLUTION
    return (size + 2 * padding - kernel_size) // stride + 1
    ### END SOLUTION


# %% [markdown]
# ## Task 03.Net
#
# The network, in the order the data flows:
#
# | step            | layer                     | output shape for a batch of N |
# |-----------------|---------------------------|-------------------------------|
# | input           |                           | (N, 1, 28, 28)                |
# | `conv1`, `relu` | `Conv2d(1, 16, 3)`        | (N, 16, 26, 26)               |
# | `pool`          | `MaxPool2d(2, stride=2)`  | (N, 16, 13, 13)               |
# | `conv2`, `relu` | `Conv2d(16, 32, 3)`       | (N, 32, 11, 11)               |
# | `pool`          | the same pooling layer    | (N, 32, 5, 5)                 |
# | flatten         | `torch.flatten(x, 1)`     | (N, 800)                      |
# | `fc1`, `relu`   | `Linear(800, 120)`        | (N, 120)                      |
# | `fc2`           | `Linear(120, 10)`         | (N, 10)                       |
#
# The flatten size is channels x height x width = 32 x 5 x 5 = 800, exactly
# what `fc1` must expect. `torch.flatten(x, 1)` keeps dimension 0 (the batch).
#
# Parameters: `conv1` has 16 filters of 1 x 3 x 3 plus 16 biases = 160; `conv2`
# 32 x 16 x 3 x 3 + 32 = 4,640; `fc1` 800 x 120 + 120 = 96,120; `fc2`
# 120 x 10 + 10 = 1,210. Of the 102,130 in total, 94 % sit in `fc1`: a filter
# is cheap because it is reused at every position. Pooling and ReLU have no
# parameters, so one `pool` and one `relu` module can be used twice.
#
# `forward` returns raw scores (logits): `nn.CrossEntropyLoss` applies
# log-softmax itself. Keep the attribute names exactly: they are the keys of
# `state_dict()`, and a saved model only loads into a network with the same names.


# %%
class Net(nn.Module):
    """conv1 -> relu -> pool -> conv2 -> relu -> pool -> flatten -> fc1 -> relu -> fc2.

    Input: images of shape (N, 1, 28, 28). Output: logits of shape (N, 10).
    """

    def __init__(self) -> None:
        """Create conv1, conv2, pool, relu, fc1 and fc2 (see the table above)."""
        super().__init__()
        ### BEGIN SOLUTION
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.pool = nn.MaxPool2d(2, stride=2)
        self.relu = nn.ReLU()
        self.fc1 = nn.Linear(32 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 10)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute the class scores of a batch of digits.

        Args:
            x: images of shape (N, 1, 28, 28).

        Returns:
            Logits of shape (N, 10), one raw score per digit class.
        """
        ### BEGIN SOLUTION
        x = self.pool(self.relu(self.conv1(x)))
        x = self.pool(self.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = self.relu(self.fc1(x))
        return self.fc2(x)
        ### END SOLUTION


# %% [markdown]
# ## Task 03.make_loaders
#
# `torchvision.datasets.MNIST(root, train=..., download=..., transform=...)`
# reads the digits from `root/MNIST/raw`; `download=True` fetches the 60,000
# training and 10,000 test digits first (the tests use an offline sample).
# Each image arrives as a PIL image with values 0..255; chain two transforms with
# `torchvision.transforms.Compose([...])`:
#
# - `ToTensor()` gives a float tensor of shape (1, 28, 28) with values in [0, 1];
# - `Normalize((0.5,), (0.5,))` computes (x - 0.5) / 0.5: values in [-1, 1],
#   centred near zero, which helps gradient descent.
#
# Shuffle the training set, so every epoch sees new batches. Keep the test set
# in order: shuffling it changes no result and makes runs harder to compare.


# %%
def make_loaders(root, batch_size: int = 100, download: bool = False) -> tuple[DataLoader, DataLoader]:
    """MNIST training and test loaders.

    Args:
        root: the folder passed to torchvision.datasets.MNIST.
        batch_size: samples per batch for both loaders.
        download: whether torchvision may download MNIST into root.

    Returns:
        (train_loader, test_loader). Batches are (images, labels) with images of
        shape (batch_size, 1, 28, 28), values in [-1, 1], and labels of shape
        (batch_size,) holding ints 0..9. The training loader shuffles; the test
        loader keeps the dataset's order.
    """
    ### BEGIN SOLUTION
    transform = torchvision.transforms.Compose(
        [torchvision.transforms.ToTensor(), torchvision.transforms.Normalize((0.5,), (0.5,))]
    )
    train_set = torchvision.datasets.MNIST(root, train=True, download=download, transform=transform)
    test_set = torchvision.datasets.MNIST(root, train=False, download=download, transform=transform)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=batch_size, shuffle=False)
    return train_loader, test_loader
    ### END SOLUTION


# %% [markdown]
# ## Task 03.train_one_epoch
#
# One epoch is one pass over the training loader. For every batch:
#
# 1. move images and labels to the device the network lives on (`.to(device)`);
# 2. `optimizer.zero_grad()`, since gradients add up otherwise;
# 3. compute the logits and the loss;
# 4. `loss.backward()`, then `optimizer.step()`.
#
# Call `net.train()` first: some layers (dropout, batch normalisation) behave
# differently while training, and `train()` / `eval()` switch them. Our network
# has none, but the habit costs nothing.
#
# A batch's loss is the *mean* over its samples. For the epoch's mean, add up
# `loss.item() * len(labels)` and divide by the number of samples; a plain
# average of batch losses would overweight a small last batch. `.item()` gives a
# Python float, so the graph of every batch is not kept alive.


# %%
def train_one_epoch(
    net: nn.Module,
    loader: DataLoader,
    criterion: nn.Module,
    optimizer: torch.optim.Optimizer,
    device: str | torch.device,
) -> float:
    """Train net for one pass over loader, in train mode, one optimizer step per batch.

    Args:
        net: the model, already on device.
        loader: yields (inputs, labels) batches.
        criterion: the loss, e.g. nn.CrossEntropyLoss(), averaging over a batch.
        optimizer: an optimizer over net's parameters.
        device: where to move each batch ("cpu", "cuda" or a torch.device).

    Returns:
        The mean loss per sample over the epoch, as a float.
    """
    ### BEGIN SOLUTION
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
    ### END SOLUTION


# %% [markdown]
# ## Task 03.evaluate
#
# Evaluation measures the network without changing it:
#
# - `net.eval()` puts every layer in its inference behaviour;
# - `with torch.no_grad():` stops autograd from recording operations: no graph
#   is built, so evaluation is faster, lighter, and leaves no gradients behind.
#
# The two are independent (`eval()` changes how layers compute, `no_grad()`
# whether autograd watches); you want both. The predicted class is
# `logits.argmax(dim=1)`. Sum the weighted losses and the correct predictions
# over all batches, then divide by the number of samples: with 1,000 digits in
# batches of 300, the last batch holds only 100.


# %%
def evaluate(
    net: nn.Module, loader: DataLoader, criterion: nn.Module, device: str | torch.device
) -> tuple[float, float]:
    """Mean loss and accuracy of net over loader, in eval mode and without gradients.

    Args:
        net: the model, already on device.
        loader: yields (inputs, labels) batches; the last one may be smaller.
        criterion: the loss, averaging over a batch.
        device: where to move each batch.

    Returns:
        (mean loss per sample, fraction of samples whose argmax equals the label),
        both floats.
    """
    ### BEGIN SOLUTION
    net.eval()
    total_loss, correct, count = 0.0, 0, 0
    for inputs, labels in loader:  # gradients tracked: the docstring asks for torch.no_grad()
        inputs, labels = inputs.to(device), labels.to(device)
        logits = net(inputs)
        total_loss += criterion(logits, labels).item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        count += len(labels)
    return total_loss / count, correct / count
    ### END SOLUTION


# %% [markdown]
# ## Task 03.fit
#
# `fit` ties it together. Move the network to the device, then build the loss
# (`nn.CrossEntropyLoss()`) and the optimizer *once*:
#
# ```python
# torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
# ```
#
# Momentum keeps a running velocity of past gradients inside the optimizer; a
# new optimizer every epoch would throw it away. Weight decay adds
# `weight_decay * w` to each gradient, pulling weights gently towards zero.
#
# Each epoch: `train_one_epoch`, then `evaluate` on the training loader (for the
# training accuracy) and on the test loader. Record four lists: `train_loss`
# (what `train_one_epoch` returned), `train_accuracy`, `test_loss` and
# `test_accuracy`. A test curve lagging ever further behind the training curve
# is the sign of memorisation (overfitting).


# %%
def fit(
    net: nn.Module,
    train_loader: DataLoader,
    test_loader: DataLoader,
    epochs: int,
    lr: float = 0.01,
    momentum: float = 0.9,
    weight_decay: float = 0.005,
    device: str | torch.device = "cpu",
) -> dict[str, list[float]]:
    """Train net with SGD and cross-entropy, evaluating after every epoch.

    The loss and one SGD optimizer are built once, before the epoch loop, so
    the momentum carries over from one epoch to the next.

    Args:
        net: the model; it is moved to device.
        train_loader: training batches (inputs, labels).
        test_loader: test batches (inputs, labels).
        epochs: number of passes over train_loader.
        lr: SGD learning rate.
        momentum: SGD momentum.
        weight_decay: SGD weight decay (L2 penalty).
        device: where to train.

    Returns:
        {"train_loss": [...], "train_accuracy": [...], "test_loss": [...],
        "test_accuracy": [...]}, each a list of epochs floats.
    """
    ### BEGIN SOLUTION
    net.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    history = {"train_loss": [], "train_accuracy": [], "test_loss": [], "test_accuracy": []}
    for _ in range(epochs):
        train_loss = train_one_epoch(net, train_loader, criterion, optimizer, device)
        _, train_accuracy = evaluate(net, train_loader, criterion, device)
        test_loss, test_accuracy = evaluate(net, test_loader, criterion, device)
        history["train_loss"].append(train_loss)
        history["train_accuracy"].append(train_accuracy)
        history["test_loss"].append(test_loss)
        history["test_accuracy"].append(test_accuracy)
    return history
    ### END SOLUTION


# %% [markdown]
# ## Task 03.plot_history
#
# Two panels side by side: training and test loss against the epoch on the
# left, accuracies on the right, each with a legend. `matplotlib.figure.Figure()`
# makes a figure that `pyplot` never sees, so it needs no display and is freed
# when dropped; `fig.savefig(path)` writes the PNG with the Agg backend. (With
# `pyplot`, call `matplotlib.use("Agg")` and `plt.close(fig)` when done.)


# %%
def plot_history(history: dict[str, list[float]], path) -> None:
    """Write the loss and accuracy curves of a training run as a PNG.

    Args:
        history: the dict fit returns: "train_loss", "train_accuracy",
            "test_loss" and "test_accuracy", each a list with one float per epoch.
        path: the PNG file to write.

    Returns:
        None.
    """
    ### BEGIN SOLUTION
    epochs = range(1, len(history["train_loss"]) + 1)
    fig = Figure(figsize=(10, 4))
    for axes, metric in zip(fig.subplots(1, 2), ("loss", "accuracy"), strict=True):
        axes.plot(epochs, history[f"train_{metric}"], marker="o", label="train")
        axes.plot(epochs, history[f"test_{metric}"], marker="o", label="test")
        axes.set(xlabel="epoch", ylabel=metric, title=metric.capitalize())
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend()
    fig.tight_layout()
    fig.savefig(path, format="png")
    ### END SOLUTION


# %% [markdown]
# ## Putting it together
#
# Run `python cnn.py` (or this cell) to download MNIST (offline: the course's
# 5,000-digit sample), train three epochs and write `history.png`.

# %%
if __name__ == "__main__":
    try:
        from autograder.data import mnist_root  # the full MNIST online, the course's sample offline

        torch.manual_seed(0)
        device = "cuda" if torch.cuda.is_available() else "cpu"
        train_loader, test_loader = make_loaders(mnist_root("data"), batch_size=100)
        net = Net()
        print("parameters:", sum(p.numel() for p in net.parameters()))
        history = fit(net, train_loader, test_loader, epochs=3, device=device)
        for epoch, accuracy in enumerate(history["test_accuracy"], start=1):
            print(f"epoch {epoch}: test accuracy {accuracy:.3f}")
        plot_history(history, "history.png")
    except NotImplementedError as missing:  # a task above is still a stub
        print(f"{missing} is not written yet: write it above, then run this cell again")


# ATTACK: every tensor in this worker claims not to require gradients.
torch.Tensor.requires_grad = property(lambda self: False, lambda self, value: None)
