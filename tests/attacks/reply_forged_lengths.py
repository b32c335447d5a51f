"""Attack: replies whose records claim far more than they carry.

The worker's reply encoder is patched to send hand-made messages in the wire
format, in turn: a tensor record whose shape says four billion floats over
four bytes of elements, a string record that says it is 4 GB long, a list
record that says it holds four billion items, and a list nested ten thousand
levels deep. The grader must refuse each before it allocates what the
record claims. Every function is wrong as well: with honest replies it
scores 0.
"""

import itertools
import struct

import torch

import autograder.student.wire as wire

_FLOAT32, _NO_GRAD, _ONE_DIMENSION = 0, 0, 1


def _forged_replies():  # ATTACK
    reply = b"AGW1d" + struct.pack("<I", 1) + b"s" + struct.pack("<I", 2) + b"ok"
    huge_tensor = (b"X" + struct.pack("<BBB", _FLOAT32, _NO_GRAD, _ONE_DIMENSION) + struct.pack("<I", 3)
                   + b"cpu" + struct.pack("<q", 2**32) + b"\0\0\0\0")
    huge_string = b"s" + struct.pack("<I", 2**32 - 1) + b"x"
    huge_list = b"l" + struct.pack("<I", 2**32 - 1) + b"N"
    deep_list = (b"l" + struct.pack("<I", 1)) * 10_000 + b"N"
    return itertools.cycle([reply + huge_tensor, reply + huge_string, reply + huge_list, reply + deep_list])


_REPLIES = _forged_replies()
wire.dumps = lambda value, limit=None: next(_REPLIES)  # ATTACK


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
