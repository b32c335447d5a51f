"""Hidden tests of make_loaders, against torchvision's MNIST read here from the same files."""

import pytest
import torch

from autograder.testkit.compare import assert_tensors_match
from autograder.testkit.probes import cnn_loaders

TRANSFORM = "ToTensor() then Normalize((0.5,), (0.5,))"


@pytest.fixture(scope="module")
def mnist(small_mnist_root):
    """{"train": (images, labels), "test": (images, labels)}: the small sample scaled to [-1, 1].

    The loaders are read several times per submission: the small sample keeps that quick, and
    its sizes leave a smaller last batch for every batch size these tests use.
    """
    from torchvision import datasets

    def split(train):
        raw = datasets.MNIST(small_mnist_root, train=train, download=False)
        return ((raw.data.float() / 255 - 0.5) / 0.5).unsqueeze(1), raw.targets

    return {"train": split(True), "test": split(False)}


def _facts(student, root, *args, **kwargs) -> dict:
    """The probe's report, after checking that make_loaders returned two DataLoaders."""
    facts = student.probe(cnn_loaders.loader_facts, str(root), *args, **kwargs)
    assert facts["count"] == 2, (
        f"make_loaders: expected a tuple (train_loader, test_loader), got a {facts['returned']}"
        + (f" of length {facts['count']}" if facts["count"] is not None else ""))
    for name in ("train", "test"):
        assert facts[name]["is_dataloader"], (
            f"make_loaders: expected the {name} loader to be a torch DataLoader, got a "
            f"{facts[name]['type']}")
    return facts


def _count(mnist: dict, split: str) -> int:
    return len(mnist[split][1])


def _batch_sizes(total: int, batch_size: int) -> list[int]:
    return [min(batch_size, total - start) for start in range(0, total, batch_size)]


def _check_sizes(loader: dict, name: str, total: int, batch_size: int, call: str) -> None:
    assert loader["dataset_size"] == total, (
        f"{call}: expected the {name} loader's dataset to hold the {total} {name} digits of the "
        f"sample, got {loader['dataset_size']}")
    expected = _batch_sizes(total, batch_size)
    assert loader["len"] == len(expected), (
        f"{call}: expected len({name}_loader) == {len(expected)}, got {loader['len']}")
    for number, one_pass in enumerate(loader["passes"], 1):
        assert one_pass["batch_sizes"] == expected, (
            f"{call}, pass {number} over the {name} loader: expected batch sizes {expected} "
            f"(the last batch smaller, not dropped), got {one_pass['batch_sizes']}")


@pytest.mark.task("03.make_loaders", hint="Both loaders use batch_size and keep the last, smaller batch; "
                  "images (B, 1, 28, 28) float32, labels (B,) int64.")
def test_make_loaders_batches_both_whole_splits(student, small_mnist_root, mnist):
    call = "make_loaders(root, batch_size=128, download=False)"
    facts = _facts(student, small_mnist_root, batch_size=128, download=False)
    _check_sizes(facts["train"], "train", _count(mnist, "train"), 128, call)
    _check_sizes(facts["test"], "test", _count(mnist, "test"), 128, call)
    for name in ("train", "test"):
        one_pass = facts[name]["passes"][0]
        assert one_pass["shapes"] == [((1, 28, 28), ())], (
            f"{call}: expected {name} batches of images (B, 1, 28, 28) and labels (B,), got shapes "
            f"(after the batch dimension) {one_pass['shapes']}")
        assert one_pass["dtypes"] == [("torch.float32", "torch.int64")], (
            f"{call}: expected {name} images as torch.float32 and labels as torch.int64, got "
            f"{one_pass['dtypes']}")


@pytest.mark.task("03.make_loaders", weight=2, hint="The test loader reads MNIST(root, train=False, ...) "
                  "through ToTensor() and Normalize((0.5,), (0.5,)), in the files' order (shuffle=False).")
def test_make_loaders_test_loader_is_the_normalised_test_set_in_order(student, small_mnist_root, mnist):
    call = "make_loaders(root, batch_size=300)"
    facts = _facts(student, small_mnist_root, 300, train_passes=0, test_passes=2)
    _check_sizes(facts["test"], "test", _count(mnist, "test"), 300, call)
    images, labels = mnist["test"]
    first, second = facts["test"]["passes"]
    assert_tensors_match(first["labels"], labels,
                         f"{call}: the test loader's labels, in the order of the test files")
    assert_tensors_match(first["images"], images,
                         f"{call}: the test loader's images, {TRANSFORM}, in the order of the files")
    assert torch.equal(second["labels"], first["labels"]), (
        f"{call}: expected the test loader to give the same order on every pass (no shuffling), "
        "got a different order on the second pass")


@pytest.mark.task("03.make_loaders", weight=2, hint="Shuffle the training loader (shuffle=True): every "
                  "digit once per pass, in a new order each pass.")
def test_make_loaders_train_loader_reshuffles_on_every_pass(student, small_mnist_root, mnist):
    call = "make_loaders(root, batch_size=250)"
    facts = _facts(student, small_mnist_root, 250, train_passes=2, test_passes=0)
    _check_sizes(facts["train"], "train", _count(mnist, "train"), 250, call)
    labels = mnist["train"][1]
    expected_counts = torch.bincount(labels, minlength=10).tolist()
    orders = [one_pass["labels"] for one_pass in facts["train"]["passes"]]
    for number, order in enumerate(orders, 1):
        counts = torch.bincount(order, minlength=10).tolist()
        assert counts == expected_counts, (
            f"{call}, pass {number} over the train loader: expected every training digit exactly "
            f"once (labels 0..9 counted {expected_counts}), got the counts {counts}")
    assert not torch.equal(orders[0], labels), (
        f"{call}: expected the train loader to shuffle, got the digits in the order of the files")
    assert not torch.equal(orders[0], orders[1]), (
        f"{call}: expected a new order on every pass over the train loader (shuffle=True), got "
        "the same order twice")


@pytest.mark.task("03.make_loaders", weight=2, hint="The training loader reads MNIST(root, train=True, ...) "
                  "through ToTensor() then Normalize((0.5,), (0.5,)).")
def test_make_loaders_train_images_are_normalised_training_digits(student, small_mnist_root, mnist):
    call = "make_loaders(root, batch_size=64)"
    facts = _facts(student, small_mnist_root, 64, train_passes=1, test_passes=0)
    images, labels = mnist["train"]
    one_pass = facts["train"]["passes"][0]
    low, high = images.min().item(), images.max().item()
    assert (one_pass["min"], one_pass["max"]) == (low, high), (
        f"{call}: expected the training images to range from {low} to {high} ({TRANSFORM}), got "
        f"values from {one_pass['min']:.4g} to {one_pass['max']:.4g}")
    batch, batch_labels = one_pass["images"], one_pass["labels"][:len(one_pass["images"])]
    distances = torch.cdist(batch.flatten(1).double(), images.flatten(1).double())
    closest = distances.argmin(dim=1)
    for i, index in enumerate(closest.tolist()):
        assert_tensors_match(batch[i], images[index],
                             f"{call}: image {i} of the first training batch, compared with the "
                             f"closest training digit (number {index}) after {TRANSFORM}")
        assert batch_labels[i].item() == labels[index].item(), (
            f"{call}: image {i} of the first training batch is training digit number {index}, "
            f"a {labels[index].item()}, but comes with the label {batch_labels[i].item()}")


@pytest.mark.task("03.make_loaders", hint="batch_size defaults to 100, and root may be a str or a "
                  "pathlib.Path (pass it on to MNIST as it is).")
def test_make_loaders_defaults_to_batches_of_100_and_accepts_a_path(student, small_mnist_root, mnist):
    call = "make_loaders(pathlib.Path(root))"
    facts = _facts(student, small_mnist_root, as_path=True, train_passes=0, test_passes=1)
    _check_sizes(facts["train"], "train", _count(mnist, "train"), 100, call)
    _check_sizes(facts["test"], "test", _count(mnist, "test"), 100, call)
    assert_tensors_match(facts["test"]["passes"][0]["labels"], mnist["test"][1],
                         f"{call}: the test loader's labels, in the order of the test files")
