"""Shared hypothesis strategies: bounded, small, no NaN unless asked.

Composite builders named as plural nouns, each with an optional fixed shape.
"""

from __future__ import annotations

import torch
from hypothesis import strategies as st

MAX_SIDE = 8


@st.composite
def shapes(draw, min_dims: int = 1, max_dims: int = 3, min_side: int = 1,
           max_side: int = MAX_SIDE) -> tuple[int, ...]:
    """Tensor shapes with ``min_dims``..``max_dims`` dimensions of ``min_side``..``max_side``."""
    dims = draw(st.integers(min_dims, max_dims))
    return tuple(draw(st.integers(min_side, max_side)) for _ in range(dims))


@st.composite
def tensors(draw, shape: tuple[int, ...] | None = None, low: float = -10.0, high: float = 10.0,
            dtype: torch.dtype = torch.float32, nan: bool = False) -> torch.Tensor:
    """Float tensors with values in [low, high]; from a drawn seed, so shrinking stays cheap."""
    shape = shape if shape is not None else draw(shapes())
    seed = draw(st.integers(0, 2**31 - 1))
    generator = torch.Generator().manual_seed(seed)
    values = torch.rand(shape, generator=generator, dtype=torch.float64) * (high - low) + low
    if nan and values.numel() and draw(st.booleans()):
        values.view(-1)[draw(st.integers(0, values.numel() - 1))] = float("nan")
    return values.to(dtype)


@st.composite
def logits_and_targets(draw, n_classes: int | None = None, max_rows: int = 16,
                       scale: float = 10.0) -> tuple[torch.Tensor, torch.Tensor]:
    """(logits of shape (n, C), int64 targets of shape (n,) in [0, C))."""
    classes = n_classes or draw(st.integers(2, 12))
    rows = draw(st.integers(1, max_rows))
    logits = draw(tensors(shape=(rows, classes), low=-scale, high=scale))
    seed = draw(st.integers(0, 2**31 - 1))
    targets = torch.randint(0, classes, (rows,), generator=torch.Generator().manual_seed(seed))
    return logits, targets


@st.composite
def batches(draw, n_features: int | None = None, n_outputs: int | None = None,
            max_rows: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """(inputs of shape (n, features), regression targets of shape (n, outputs))."""
    features = n_features or draw(st.integers(1, 6))
    outputs = n_outputs or draw(st.integers(1, 4))
    rows = draw(st.integers(1, max_rows))
    return (draw(tensors(shape=(rows, features), low=-3, high=3)),
            draw(tensors(shape=(rows, outputs), low=-3, high=3)))
