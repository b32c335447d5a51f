"""Does what works in a student's own run work in the sandbox, and is a refusal said in plain words?"""

import pytest

from autograder.sandbox.mounts import worker_readable_folder
from autograder.sandbox.settings import SandboxSettings
from autograder.sandbox.transport import SandboxTransport
from autograder.student import StudentModule
from autograder.student.proxy import SandboxRefusal

SOURCE = '''
import os
import tempfile

import torch
from torch.utils.data import DataLoader, TensorDataset


def batches_from_worker_processes(workers):
    loader = DataLoader(TensorDataset(torch.arange(10.0)), batch_size=4, num_workers=workers)
    return [batch[0] for batch in loader]


def temporary_and_working_files():
    with tempfile.NamedTemporaryFile("w", delete=False) as handle:
        handle.write("scratch")
    with open("notes.txt", "w") as notes:
        notes.write("kept in the working folder")
    return [os.path.dirname(handle.name) == os.getcwd(), open("notes.txt").read()]


def a_plot():
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots()
    axes.plot([1, 2, 3])
    figure.savefig("plot.png")
    plt.close(figure)
    return os.path.getsize("plot.png") > 0


def write_outside(path):
    with open(path, "w") as handle:
        handle.write("x")
'''


@pytest.fixture(scope="module")
def student():
    with worker_readable_folder("same-rules-") as folder:
        (folder / "rules.py").write_text(SOURCE)
        transport = SandboxTransport(folder / "rules.py", SandboxSettings(call_timeout_s=120))
        yield StudentModule(transport)
        transport.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_dataloader_with_worker_processes_works(student, workers):
    batches = student.batches_from_worker_processes(workers)
    assert [batch.tolist() for batch in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_temporary_files_and_files_in_the_working_folder_work(student):
    assert student.temporary_and_working_files() == [True, "kept in the working folder"]


def test_matplotlib_saves_a_figure(student):
    assert student.a_plot() is True


@pytest.mark.parametrize("path", ["/etc/forged.txt", "/tmp/forged.txt", "/work/forged.txt"])
def test_a_write_outside_the_working_folder_is_refused_in_plain_words(student, path):
    with pytest.raises(SandboxRefusal) as refused:
        student.write_outside(path)
    message = str(refused.value)
    assert message.startswith("the sandbox refused this: your code may write only in its working folder")
    assert "rules.py line" in message, "the student's own line is named"
