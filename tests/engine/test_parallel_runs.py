"""Does the README's parallel test command keep the tests that share a costly fixture together?

The nbgrader course and the attack batch are built once per worker that runs
their tests; ``--dist loadgroup`` sends each xdist_group to one worker. Some
pytest and pytest-xdist pairs silently drop the grouping
(pytest-dev/pytest-xdist#1386): the suite then still passes, minutes slower.
"""

import pytest


@pytest.mark.xdist_group("grouping-check")
def test_loadgroup_marks_grouped_tests_in_their_node_id(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run with --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping-check"), (
        "--dist loadgroup ignores xdist_group marks with this pytest and pytest-xdist "
        "(pytest-dev/pytest-xdist#1386): install the versions pyproject.toml asks for")
