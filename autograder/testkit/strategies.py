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


# Row offsets well beyond e^88, where float32 exp overflows (or underflows, below 0).
LARGE_OFFSETS = (-10_000.0, -3_000.0, -1_000.0, -200.0, 200.0, 1_000.0, 3_000.0, 10_000.0)
# Half-widths of a row around its offset: 1 makes near ties, 1000 one dominant logit.
LARGE_SPREADS = (1, 5, 50, 1_000)


@st.composite
def large_logits(draw, shape: tuple[int, ...] | None = None, far_rows: bool = False) -> torch.Tensor:
    """Integer-valued float32 logits far from 0, classes last; they print exactly.

    Each row is ``offset + k`` with one offset from ``LARGE_OFFSETS`` and
    integers ``k`` within one of ``LARGE_SPREADS``. The first row is always a
    near tie (spread 1), where the log-sum-exp term is not negligible, so
    shifting by the maximum without it, or clamping, shows; with ``far_rows``
    the first two rows lie at least 2,000 apart, so one shift for the whole
    tensor underflows one of them.
    """
    shape = shape if shape is not None else (draw(st.integers(2 if far_rows else 1, 6)),
                                             draw(st.integers(2, 10)))
    rows = 1
    for side in shape[:-1]:
        rows *= side
    offsets = [draw(st.sampled_from(LARGE_OFFSETS)) for _ in range(rows)]
    spreads = [1] + [draw(st.sampled_from(LARGE_SPREADS)) for _ in range(rows - 1)]
    if far_rows and rows > 1:
        offsets[1] = draw(st.sampled_from([offset for offset in LARGE_OFFSETS
                                           if abs(offset - offsets[0]) >= 2_000]))
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    values = [torch.randint(-spread, spread + 1, (shape[-1],), generator=generator) + offset
              for offset, spread in zip(offsets, spreads, strict=True)]
    return torch.stack(values).to(torch.float32).reshape(shape)
