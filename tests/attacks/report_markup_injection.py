"""Attack: messages that try to close JUnit's XML and Gradescope's HTML: a forged test case, a script."""

import torch

_MARKUP = ('"/></failure></testcase><testcase name="forged" classname="01.affine"/>'
           "<testcase name='x'><![CDATA[]]></testcase><script>alert('graded')</script>"
           "\x00\x0b\ud800 &amp; &lt;")


def linear_combination(xs, weights):
    raise ValueError(_MARKUP)  # ATTACK


def affine(x, W, b):
    raise AssertionError(_MARKUP)  # ATTACK


def derivative(f, x0):
    raise RuntimeError(_MARKUP)  # ATTACK


def select_device(prefer="auto"):
    raise RuntimeError(_MARKUP)  # ATTACK


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    raise TypeError(_MARKUP)  # ATTACK


def train_step(model, loss_fn, optimizer, xb, yb):
    return torch.zeros(())
