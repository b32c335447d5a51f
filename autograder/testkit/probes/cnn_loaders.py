"""Probes for assignment 03's make_loaders: read the loaders it returns, beside the student's code."""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import DataLoader

from autograder.student.probes import probe


def _pass_facts(data_loader, keep_images: str) -> dict:
    """One pass over a loader: batch sizes, labels, value range, dtypes and some images."""
    sizes, labels, images, shapes, dtypes = [], [], [], set(), set()
    low, high = float("inf"), float("-inf")
    for batch_images, batch_labels in data_loader:
        sizes.append(len(batch_labels))
        labels.append(batch_labels)
        shapes.add((tuple(batch_images.shape[1:]), tuple(batch_labels.shape[1:])))
        dtypes.add((str(batch_images.dtype), str(batch_labels.dtype)))
        low, high = min(low, batch_images.min().item()), max(high, batch_images.max().item())
        if keep_images == "all" or (keep_images == "first_batch" and not images):
            images.append(batch_images)
    return {"batch_sizes": sizes, "labels": torch.cat(labels) if labels else None,
            "images": torch.cat(images) if images else None, "min": low, "max": high,
            "shapes": sorted(shapes), "dtypes": sorted(dtypes)}


def _with_context(error: Exception, what: str) -> Exception:
    """The same kind of error with ``what`` in front of its message (a RuntimeError if it cannot be)."""
    try:
        return type(error)(f"{what}: {error}")
    except Exception:  # an error type whose constructor wants other arguments
        return RuntimeError(f"{what}: {type(error).__name__}: {error}")


def _loader_facts(data_loader, passes: int, keep_images: str, name: str) -> dict:
    dataset = getattr(data_loader, "dataset", None)
    return {"type": type(data_loader).__name__,
            "is_dataloader": isinstance(data_loader, DataLoader),
            "dataset_size": len(dataset) if hasattr(dataset, "__len__") else None,
            "len": len(data_loader) if hasattr(data_loader, "__len__") else None,
            "passes": [_read_pass(data_loader, keep_images if number == 0 else "none", name, number)
                       for number in range(passes)]}


def _read_pass(data_loader, keep_images: str, name: str, number: int) -> dict:
    """One pass's facts; an error raised while reading says which loader and pass it came from."""
    try:
        return _pass_facts(data_loader, keep_images)
    except Exception as error:
        raise _with_context(error, f"reading pass {number + 1} over the {name} loader that make_loaders "
                            "returned") from error


@probe
def loader_facts(module, root, *args, train_passes=1, test_passes=1, as_path=False, **kwargs):
    """Call ``make_loaders(root, *args, **kwargs)`` and read the loaders it returns.

    ``root`` arrives as a string; ``as_path`` passes it as a pathlib.Path. The
    first pass over the training loader keeps its first batch of images, the
    first pass over the test loader keeps all of them.

    Returns:
        {"returned": the type name of the result, "count": its length (None if
        it has none), "train" and "test": each {"type", "is_dataloader",
        "dataset_size", "len", "passes": one summary per pass}}.
    """
    result = module.make_loaders(Path(root) if as_path else root, *args, **kwargs)
    facts = {"returned": type(result).__name__,
             "count": len(result) if isinstance(result, tuple | list) else None}
    if facts["count"] == 2:
        facts["train"] = _loader_facts(result[0], train_passes, "first_batch", "training")
        facts["test"] = _loader_facts(result[1], test_passes, "all", "test")
    return facts
