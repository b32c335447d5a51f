"""MNIST for a demo: the full set when there is a network, else the sample bundled with the course."""

from __future__ import annotations

import urllib.error
from pathlib import Path

from autograder.data.mnist_sample import write_mnist_sample


def mnist_root(folder: str | Path = "data") -> Path:
    """A folder that ``torchvision.datasets.MNIST(root, download=False)`` reads.

    The full MNIST is downloaded into ``folder`` (once); without a network the
    5,000 real digits that come with the course are written to ``folder/sample``
    instead, so a notebook runs top to bottom offline.
    """
    from torchvision import datasets

    try:
        for train in (True, False):
            datasets.MNIST(folder, train=train, download=True)
        return Path(folder)
    except (OSError, RuntimeError, urllib.error.URLError) as error:
        sample = Path(folder) / "sample"
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        print(f"MNIST could not be downloaded ({reason}): using the 5,000 digits that come with "
              f"the course, in {sample}")
        return write_mnist_sample(sample)
