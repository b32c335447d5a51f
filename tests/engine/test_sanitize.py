"""Does student text reach each report format as text, whatever it holds?"""

import xml.etree.ElementTree as ET

import pytest
from markdown_it import MarkdownIt

from autograder.export.sanitize import (
    html_text,
    markdown_block,
    markdown_code,
    markdown_inline,
    one_line,
    plain,
    xml_text,
)

# As GitHub reads Markdown: CommonMark with tables, strikethrough and raw HTML.
GITHUB = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@pytest.mark.parametrize("attack", [
    "\x1b]52;c;cm0gLXJmIH4K\x07",        # OSC 52: write the clipboard, ended by BEL
    "\x1b]52;c;cm0gLXJmIH4K\x1b\\",      # ... ended by ST
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1bP+q544e\x1b\\",                 # DCS
    "\x1b[2J\x1b[H",                     # clear the screen, move home
    "\x1b[38;5;196m",                    # 256-colour SGR
    "\x9b31m\x9d0;t\x9c",                # 8-bit CSI and OSC
    "\x1bc",                             # reset the terminal
    "\x1b(0",                            # switch character set
    "\x00\x07\x08\x0b\x0c\x7f",          # C0 controls and DEL
    "\u202e\u2066\u200f",                # bidirectional overrides
    "\ud800",                            # a lone surrogate
])
def test_plain_removes_escape_sequences_and_control_characters(attack):
    cleaned = plain(f"before{attack}after")
    assert cleaned.startswith("before") and cleaned.endswith("after")
    assert not any(ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f for ch in cleaned)
    assert "\ud800" not in cleaned and "\u202e" not in cleaned


def test_an_unterminated_string_sequence_ends_with_its_line():
    assert plain("\x1b]0;title\nnext") == "\nnext"


def test_plain_keeps_newlines_and_tabs_and_turns_carriage_returns_into_newlines():
    assert plain("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"


def test_one_line_joins_lines():
    assert one_line(" a\nb\tc\rd ") == "a b c d"


def _tokens(markdown):
    return [token for block in GITHUB.parse(markdown) for token in (block, *(block.children or []))]


@pytest.mark.parametrize("text", [
    "## Assignment 02: 12 / 12",
    "| task | score |",
    "<img src=x onerror=alert(1)>",
    "[click](http://evil) ![x](http://evil/x.png)",
    "**bold** _em_ ~~gone~~ `code` &amp; &#35;",
    "1. item",
    "- item",
    "> quote",
    "\\## escaped already",
])
def test_markdown_inline_renders_as_the_text_itself(text):
    tokens = _tokens(f"- {markdown_inline(text)}")
    kinds = {token.type for token in tokens}
    assert kinds <= {"bullet_list_open", "list_item_open", "paragraph_open", "inline", "text",
                     "paragraph_close", "list_item_close", "bullet_list_close", "softbreak"}
    assert "".join(token.content for token in tokens if token.type == "text") == text


def test_markdown_inline_at_the_start_of_a_line_starts_no_block():
    tokens = _tokens(markdown_inline("## Assignment 02: 12 / 12"))
    assert not any(token.type.startswith("heading") for token in tokens)


@pytest.mark.parametrize("text", ["plain", "a `tick` and ``two``", "`leading", "trailing`", "a | pipe"])
def test_markdown_code_keeps_backticks_inside_one_code_span(text):
    spans = [token for token in _tokens(markdown_code(text)) if token.type == "code_inline"]
    assert [span.content for span in spans] == [text]


def test_markdown_code_in_a_table_cell_keeps_the_pipe_in_its_cell():
    table = f"| a | b |\n| --- | --- |\n| {markdown_code('x | y', in_table=True)} | 2 |\n"
    cells = [token.content for token in _tokens(table) if token.type == "code_inline"]
    assert cells == ["x | y"]


@pytest.mark.parametrize("text", [
    "```\n## Assignment 02: 12 / 12\n```",
    "````\nsix ``````\n~~~\n",
    "    ```\n<details open>",
])
def test_markdown_block_cannot_be_closed_by_its_text(text):
    rendered = f"- item\n\n{markdown_block(text, indent='  ')}\n\n## after\n"
    fences = [token for token in GITHUB.parse(rendered) if token.type == "fence"]
    assert len(fences) == 1 and fences[0].content == text.rstrip("\n").replace("\t", "    ") + "\n"
    headings = [token for token in GITHUB.parse(rendered) if token.type == "heading_open"]
    assert len(headings) == 1


def test_xml_text_drops_what_xml_cannot_hold():
    hostile = "ok\x00\x01\x1b[31m\ud800\ufffe\uffff<&>"
    element = ET.Element("x", message=xml_text(hostile))
    element.text = xml_text(hostile)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert parsed.text == parsed.get("message") == "ok<&>"


def test_html_text_escapes_markup():
    escaped = html_text('<script>alert("x")</script>\x1b[2J')
    assert escaped == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
