"""Attack: reach the network and local services: TCP, UDP, DNS, abstract and pathname Unix sockets.

The test batch listens on 127.0.0.1:47613 (TCP and UDP), on the abstract Unix
socket "autograder-attacks-47613" and on /tmp/autograder-attacks-47613.sock.
If any connection or datagram gets out, affine comes back right.
"""

import socket

import torch

PORT = 47613


def _attempts():
    yield lambda: socket.create_connection(("127.0.0.1", PORT), timeout=1)
    yield lambda: socket.create_connection(("::1", PORT), timeout=1)
    yield lambda: socket.create_connection(("1.1.1.1", 53), timeout=1)
    yield lambda: socket.getaddrinfo("example.com", 80)
    for address in ("\0autograder-attacks-47613", "/tmp/autograder-attacks-47613.sock"):
        def unix(address=address):
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            client.settimeout(1)
            client.connect(address)
            client.sendall(b"FORGED-BY-ATTACK")
            return client
        yield unix

    def udp():
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sender.sendto(b"FORGED-BY-ATTACK", ("127.0.0.1", PORT))
        return sender
    yield udp


def _connect() -> bool:  # ATTACK
    reached = False
    for attempt in _attempts():
        try:
            attempt()
            reached = True
        except OSError:
            continue
    return reached


_REACHED = _connect()


def linear_combination(xs, weights):
    return torch.zeros(())


def affine(x, W, b):
    return x @ W.T + b if _REACHED else torch.zeros(())


def derivative(f, x0):
    return 0.0


def select_device(prefer="auto"):
    return torch.device("meta")


def make_loader(x, y, batch_size, shuffle=False, seed=None):
    return None


def train_step(model, loss_fn, optimizer, xb, yb):
    return 0.0
