"""Does a class graded on a Dask LocalCluster grade as local grading does, a killed worker notwithstanding?

Two worker processes grade the small course of test_class_runs (assignment
01's linear-algebra tests, 3 s time limit). When the first report comes back,
a worker that is grading a submission is killed (SIGKILL); its submission must
be graded again elsewhere, and the store must end with every submission
graded as local grading grades it.
"""

import os
import signal

import dask
import pytest
from distributed import Client, LocalCluster

from autograder.grading.classrun import Scheduling, grade_into_store
from autograder.grading.runner import GradingOptions
from autograder.grading.store import ResultsStore
from tests.grader.test_class_runs import small_class  # noqa: F401 - a fixture

OPTIONS = GradingOptions(device="cpu")


def _grades(store: ResultsStore) -> dict[str, tuple]:
    return {result.report.submission_id: (result.report.score,
                                          tuple(task.score for task in result.report.tasks),
                                          result.report.errors)
            for result in store.results("01")}


@pytest.fixture
def cluster():
    with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def test_a_dask_cluster_that_loses_a_worker_grades_like_local_grading(small_class, cluster, tmp_path):  # noqa: F811
    layout, folder, _ = small_class
    course = layout.load_course()
    submissions = sorted(folder.iterdir())
    killed = []

    with Client(cluster) as client:
        def kill_a_busy_worker(report):
            if killed:
                return
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        with ResultsStore(tmp_path / "on-dask") as store:
            summary = grade_into_store("01", submissions, store, layout=layout, course=course,
                                       scheduling=Scheduling(scheduler=cluster.scheduler_address),
                                       options=OPTIONS, on_done=kill_a_busy_worker)
            on_dask = _grades(store)

    with ResultsStore(tmp_path / "local") as store:
        grade_into_store("01", submissions, store, layout=layout, course=course, options=OPTIONS)
        local = _grades(store)

    assert killed, "no worker was busy when the first report came back"
    assert not summary.interrupted and len(summary.graded) == 4
    assert on_dask == local
    assert local["a_right"][0] == 4 and local["c_hangs"][1][:2] == (0.0, 2.0)
