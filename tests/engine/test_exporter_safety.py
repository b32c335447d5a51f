"""Does hostile student text reach every report format as text, never as formatting?"""

import json

from lxml import etree
from markdown_it import MarkdownIt

from autograder.export import to_gradescope, to_json, to_junit, to_markdown, to_text
from tests.engine.sample_reports import hostile_report

GITHUB = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_FORBIDDEN_IN_MARKDOWN = {"html_block", "html_inline", "image", "link_open", "s_open"}


def _all_tokens(markdown):
    return [token for block in GITHUB.parse(markdown) for token in (block, *(block.children or []))]


def _has_terminal_controls(text):
    return any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7f <= ord(ch) <= 0x9f for ch in text)


def test_markdown_keeps_one_heading_one_table_and_no_html_whatever_the_student_wrote():
    tokens = _all_tokens(to_markdown(hostile_report()))
    headings = [(token.tag, tokens[i + 1].content) for i, token in enumerate(tokens)
                if token.type == "heading_open" and token.tag == "h2"]
    assert headings == [("h2", "Assignment 02: 0 / 4")]
    assert sum(token.type == "table_open" for token in tokens) == 1
    assert not {token.type for token in tokens} & _FORBIDDEN_IN_MARKDOWN


def test_markdown_carries_no_escape_sequence():
    assert not _has_terminal_controls(to_markdown(hostile_report()))


def test_text_carries_no_escape_sequence_and_a_carriage_return_cannot_overwrite_a_line():
    text = to_text(hostile_report())
    assert not _has_terminal_controls(text)
    assert "\x1b" not in text and "\ud800" not in text
    assert any(line.strip().startswith("Score: 12 / 12") for line in text.splitlines())
    text.encode("utf-8")  # nothing a terminal or file could not take


def test_junit_is_well_formed_xml_without_escape_sequences():
    document = to_junit(hostile_report())
    root = etree.fromstring(document.encode("utf-8"))  # lxml refuses what XML 1.0 cannot hold
    texts = [value for element in root.iter() for value in (element.text or "", *element.attrib.values())]
    assert not any(_has_terminal_controls(value) for value in texts)
    assert any("<img src=x" in value for value in texts)  # kept as text, escaped by the writer


def test_gradescope_outputs_render_without_forged_headings_or_html():
    document = json.loads(to_gradescope(hostile_report()))
    outputs = [document["output"], *(test["output"] for test in document["tests"])]
    for output in outputs:
        kinds = {token.type for token in _all_tokens(output)}
        assert not kinds & (_FORBIDDEN_IN_MARKDOWN | {"heading_open", "table_open"}), output
        assert not _has_terminal_controls(output)
    assert not any(_has_terminal_controls(test["name"]) for test in document["tests"])


def test_json_strings_carry_no_escape_sequence():
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    document = json.loads(to_json(hostile_report()))
    assert not any(_has_terminal_controls(text) for text in strings(document))
    assert any("## Assignment 02: 12 / 12" in text for text in strings(document))  # kept, as data


def test_nbgrader_feedback_carries_no_escape_sequence():
    from autograder.nbgrader.feedback import task_feedback

    report = hostile_report()
    text = task_feedback(report, report.tasks[0], 3, "scratch.py")
    assert not _has_terminal_controls(text) and "Score: 12 / 12" in text
