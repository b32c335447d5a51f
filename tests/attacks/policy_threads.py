"""Attack (assignment 02): have threads of the submission make the forbidden calls.

A thread started at import serves requests from a queue, before, during and
between the grader's calls, so a guard that lives in one thread (a torch
function mode is thread-local) or that only watches the calls never sees it.
log_softmax and nll hand their work to it: log_softmax to that thread, nll to a
fresh one each time. Had they been spelled torch.log_softmax and F.nll_loss,
both tasks would score 0: so does the honest version. accuracy is written
properly; everything else is wrong.
"""

import queue
import threading

import torch

_JOBS: queue.Queue = queue.Queue()
_OPERATIONS = {"log_softmax": lambda x: getattr(torch, "log_" + "softmax")(x, -1),  # ATTACK
               "nll": lambda i, t: getattr(torch.nn.functional, "nll_" + "loss")(i, t)}  # ATTACK


def _serve():
    while True:
        name, args, answer = _JOBS.get()
        try:
            answer.put(("ok", _OPERATIONS[name](*args)))
        except BaseException as error:  # noqa: BLE001
            answer.put(("error", error))


threading.Thread(target=_serve, daemon=True, name="helper").start()  # ATTACK


def _unwrap(kind_and_value):
    kind, value = kind_and_value
    if kind == "error":
        raise value
    return value


def log_softmax(x):
    answer: queue.Queue = queue.Queue()
    _JOBS.put(("log_softmax", (x,), answer))
    return _unwrap(answer.get())


def nll(input, target):
    answer: queue.Queue = queue.Queue()
    thread = threading.Thread(target=lambda: answer.put(("ok", _OPERATIONS["nll"](input, target))))
    thread.start()
    thread.join()
    if answer.empty():
        raise RuntimeError("the helper thread failed")
    return _unwrap(answer.get())


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def init_params(n_in=784, n_out=10, generator=None):
    return torch.zeros(n_in, n_out), torch.ones(n_out)


def model(xb, weights, bias):
    return torch.zeros(())


def fit(x, y, weights, bias, lr=0.5, epochs=1, bs=64):
    raise RuntimeError("not written")
