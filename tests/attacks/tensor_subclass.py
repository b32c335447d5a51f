"""Attack: return values that claim to be right: a tensor subclass equal to everything, an object
posing as a tensor or a device, a float subclass equal to every number.
"""

import torch


def _yes(*args, **kwargs):
    return True


class Liar(torch.Tensor):  # ATTACK
    __eq__ = __ne__ = equal = allclose = _yes

    @property
    def __class__(self):
        return torch.Tensor


class Anything:  # ATTACK
    __eq__ = _yes
    shape = torch.Size([])
    dtype = torch.float32
    device = torch.device("cpu")
    type = "cpu"

    def __init__(self, pose):
        self._pose = pose

    @property
    def __class__(self):
        return self._pose

    def __getattr__(self, name):
        return _yes


class Number(float):  # ATTACK
    __eq__ = __le__ = __ge__ = __lt__ = __gt__ = _yes

    def __sub__(self, other):
        return Number(0.0)

    __rsub__ = __sub__

    def __abs__(self):
        return Number(0.0)


def linear_combination(xs, weights):
    return torch.zeros(xs[0].shape).as_subclass(Liar)


def affine(x, W, b):
    return Anything(torch.Tensor)


def derivative(f, x0):
    return Number(0.0)


def select_device(prefer="auto"):
    return Anything(torch.device)


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return [(x.as_subclass(Liar), y.as_subclass(Liar))]


def train_step(model, loss_fn, optimizer, xb, yb):
    return Number(0.0)
