"""Is a reply bounded before and after it is loaded: archive records, tensor elements, values?"""

import io
import zipfile

import pytest
import torch

from autograder.student import wire

MB = 2**20


def _deflated(payload: bytes) -> bytes:
    """The same archive with its records compressed, as a hostile worker could send it."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for record in source.infolist():
            target.writestr(record.filename, source.read(record.filename))
    return buffer.getvalue()


def test_a_plain_reply_loads():
    value = {"x": torch.arange(6.0).reshape(2, 3), "n": [1, 2.5, "a"]}
    loaded = wire.loads(wire.dumps(value))
    assert torch.equal(loaded["x"], value["x"]) and loaded["n"] == value["n"]


def test_a_deflated_record_is_refused_before_it_is_inflated():
    payload = _deflated(wire.dumps(torch.zeros(4 * MB // 4)))
    assert len(payload) < MB
    with pytest.raises(wire.WireError, match="compresses"):
        wire.loads(payload, limit=2 * MB)


def test_records_over_the_cap_are_refused():
    payload = wire.dumps(torch.zeros(MB // 4))
    with pytest.raises(wire.WireError, match="over the"):
        wire.check_archive(payload, limit=MB // 2)
    wire.check_archive(payload, limit=2 * MB)


def test_a_view_that_repeats_its_storage_counts_every_element():
    huge = torch.zeros(1).expand(2**16, 2**16)  # 16 GB of float32 over a 4-byte storage
    payload = wire.dumps(huge)
    assert len(payload) < MB
    with pytest.raises(wire.WireError, match="elements"):
        wire.loads(payload)


def test_shared_lists_count_every_reference():
    shared = [torch.zeros(())]
    for _ in range(40):  # 2**40 leaves, a few hundred bytes pickled
        shared = [shared, shared]
    with pytest.raises(wire.WireError, match="values"):
        wire.loads(wire.dumps(shared))
