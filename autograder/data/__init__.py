"""Offline data for tests and demos: an MNIST sample in MNIST's own layout."""

from autograder.data.mnist_root import mnist_root
from autograder.data.mnist_sample import write_mnist_sample

__all__ = ["mnist_root", "write_mnist_sample"]
