"""Offline data for tests and demos: an MNIST sample in MNIST's own layout."""

from autograder.data.mnist_sample import write_mnist_sample

__all__ = ["write_mnist_sample"]
