"""Attack: every function spins forever, ignoring signals, so each test waits out its call limit."""

import signal

for _number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):  # ATTACK
    signal.signal(_number, signal.SIG_IGN)


def _spin():
    while True:  # ATTACK
        try:
            pass
        except BaseException:  # noqa: BLE001
            continue


def linear_combination(xs, weights):
    _spin()


def affine(x, W, b):
    _spin()


def derivative(f, x0):
    _spin()


def select_device(prefer="auto"):
    _spin()


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    _spin()


def train_step(model, loss_fn, optimizer, xb, yb):
    _spin()
