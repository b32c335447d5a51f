"""Does the README's parallel test command keep the tests of a class on one worker?

Each corpus (mutants, alternatives, attacks) is graded once per test class,
and the nbgrader course once per module: ``--dist loadscope`` sends each class
or module to one xdist worker. If a pytest/xdist pair ever broke that, the
suite would still pass, only minutes slower; this test says so instead.
"""

import os

import pytest


class TestOneWorkerPerClass:
    @pytest.mark.parametrize("number", range(6))
    def test_every_test_of_a_class_runs_on_one_worker(self, tmp_path_factory, number):
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker is None:
            pytest.skip("not run under pytest-xdist")
        record = tmp_path_factory.getbasetemp().parent / "one-worker-per-class"
        try:
            with open(record, "x") as first:  # the first test of the class to run claims it
                first.write(worker)
        except FileExistsError:
            pass
        assert record.read_text() == worker, (
            "the tests of one class ran on several xdist workers: run the suite with "
            "--dist loadscope, as the README says")
