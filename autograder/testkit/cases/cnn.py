"""Cases of assignment 03's loop tests: seeded problems for the trusted TinyClassifier."""

from __future__ import annotations

import torch
from hypothesis import strategies as st


def problem(rows: int, seed: int = 0, n_features: int = 5, n_classes: int = 3):
    """Seeded inputs, labels and a starting state_dict for TinyClassifier(n_features, n_classes)."""
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randn((rows, n_features), generator=generator)
    labels = torch.randint(0, n_classes, (rows,), generator=generator)
    start = {"linear.weight": torch.randn((n_classes, n_features), generator=generator) / 2,
             "linear.bias": torch.randn((n_classes,), generator=generator) / 4}
    return inputs, labels, start


@st.composite
def problems(draw, max_rows: int = 40):
    """(inputs, labels, start) drawn whole, so that a failing case shows the tensors themselves."""
    return problem(draw(st.integers(1, max_rows)), seed=draw(st.integers(0, 1000)))


def batches_described(rows: int, batch_size: int) -> str:
    """'22 rows in batches of [5, 5, 5, 5, 2]'."""
    sizes = [min(batch_size, rows - start) for start in range(0, rows, batch_size)]
    return f"{rows} rows in batches of {sizes}"
