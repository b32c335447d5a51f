"""Is every message bounded before it is built: lengths, elements, values, nesting?"""

import struct

import pytest
import torch

from autograder.student import wire

MB = 2**20
_START = b"AGW1"


def test_a_plain_reply_loads():
    value = {"x": torch.arange(6.0).reshape(2, 3), "n": [1, 2.5, "a"]}
    loaded = wire.loads(wire.dumps(value))
    assert torch.equal(loaded["x"], value["x"]) and loaded["n"] == value["n"]


def test_a_tensor_record_whose_shape_outgrows_the_cap_is_refused_before_allocation():
    forged = (_START + b"X" + struct.pack("<BBB", 0, 0, 1) + struct.pack("<I", 3) + b"cpu"
              + struct.pack("<q", 2**40) + b"\0" * 4)
    with pytest.raises(wire.WireError, match="tensor elements hold more than"):
        wire.loads(forged)


def test_a_tensor_record_with_fewer_bytes_than_its_shape_is_refused():
    forged = (_START + b"X" + struct.pack("<BBB", 0, 0, 1) + struct.pack("<I", 3) + b"cpu"
              + struct.pack("<q", 4) + b"\0" * 4)
    with pytest.raises(wire.WireError, match="ends in the middle"):
        wire.loads(forged)


@pytest.mark.parametrize("record", [b"s" + struct.pack("<I", 2**32 - 1) + b"x",
                                    b"l" + struct.pack("<I", 2**32 - 1) + b"N"], ids=["string", "list"])
def test_a_length_over_what_the_message_holds_is_refused(record):
    with pytest.raises(wire.WireError):
        wire.loads(_START + record)


def test_nesting_past_the_limit_is_refused_without_a_recursion_error():
    forged = _START + (b"l" + struct.pack("<I", 1)) * 10_000 + b"N"
    with pytest.raises(wire.WireError, match="nests deeper"):
        wire.loads(forged)


@pytest.mark.parametrize("payload", [b"", b"AGW1", b"AGW1?", b"AGW1N" + b"N", b"\x80\x02pickle"],
                         ids=["empty", "no value", "unknown record", "trailing bytes", "a pickle"])
def test_a_malformed_message_is_a_wire_error(payload):
    with pytest.raises(wire.WireError):
        wire.loads(payload)


def test_messages_over_the_cap_are_refused_as_sent():
    payload = wire.dumps(torch.zeros(MB // 4))
    with pytest.raises(wire.WireError, match="over the"):
        wire.loads(payload, limit=MB // 2)
    assert wire.loads(payload, limit=2 * MB).numel() == MB // 4


def test_a_view_that_repeats_its_storage_counts_every_element():
    huge = torch.zeros(1).expand(2**16, 2**16)  # 16 GB of float32 over a 4-byte storage
    with pytest.raises(wire.WireError, match="elements"):
        wire.dumps(huge)


def test_shared_lists_count_every_reference():
    shared = [torch.zeros(())]
    for _ in range(40):  # 2**40 leaves, a few hundred bytes pickled
        shared = [shared, shared]
    with pytest.raises(wire.WireError, match="values"):
        wire.dumps(shared)


@pytest.mark.parametrize("value", [torch.nn.Parameter(torch.ones(2)), {1.5: "float key"}, object(),
                                   torch.ones(2).to_sparse()],
                         ids=["parameter", "float key", "object", "sparse"])
def test_what_is_not_data_is_refused_when_sent(value):
    with pytest.raises(wire.WireError, match="not data"):
        wire.dumps(value)


def test_every_type_of_the_contract_comes_back_as_itself():
    from collections import OrderedDict

    values = [None, True, 0, -2**70, 1.5, -0.0, 1 + 2j, "é\ud800", b"\0\xff", torch.device("cpu"),
              torch.bfloat16, torch.Size([2, 3]), (1, [2.0, {"a": 3, 4: None}]), OrderedDict(w=1),
              torch.arange(6.0).reshape(2, 3).T, torch.zeros(0, 3, dtype=torch.int64),
              torch.as_strided(torch.arange(9.0), (1, 1), (75, 75)),
              torch.tensor(2.0, requires_grad=True), torch.ones(2, dtype=torch.complex64).conj(),
              torch.tensor([True, False])]
    for value in values:
        back = wire.loads(wire.dumps(value))
        assert type(back) is type(value) and repr(back) == repr(value), (value, back)


def test_a_list_that_contains_itself_is_refused():
    loop = []
    loop.append(loop)
    with pytest.raises(wire.WireError, match="nests deeper"):
        wire.dumps(loop)


def test_a_list_shared_in_several_places_is_sent_as_copies():
    row = [0.0, 1.0]
    assert wire.loads(wire.dumps([row, row, row])) == [[0.0, 1.0]] * 3
