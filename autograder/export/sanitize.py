"""Student text made safe for each report format.

Exception messages, printed output and file names come from the submission:
whatever they hold must reach a report as text, never as formatting. A
terminal must not receive escape sequences (colours, cursor moves, OSC 52
clipboard writes), Markdown must not gain headings, tables or HTML, and
XML must stay well-formed.

Every exporter passes student text through the function for its format:
:func:`plain` for terminals and JSON, :func:`markdown_inline`,
:func:`markdown_code` and :func:`markdown_block` for Markdown,
:func:`xml_text` for XML and :func:`html_text` for HTML.
"""

from __future__ import annotations

import html
import re

# Escape sequences (ECMA-48), in their 7-bit (ESC ...) and 8-bit (C1) spellings.
# String sequences (OSC, DCS, SOS, PM, APC) run to their terminator, BEL or ST,
# or, unterminated, to the end of the line.
_STRING_SEQUENCE = r"(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
_CONTROL_SEQUENCE = r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
_OTHER_ESCAPE = r"\x1b[ -/]*[0-~]?"
_ESCAPE_SEQUENCES = re.compile(f"{_STRING_SEQUENCE}|{_CONTROL_SEQUENCE}|{_OTHER_ESCAPE}")

# Control characters but tab and newline, the invisible controls that reorder
# text (bidirectional overrides, as in "Trojan Source"), and lone surrogates,
# which no UTF-8 output can encode.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f"
                       "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Characters that start Markdown (GitHub's flavour) anywhere in a line: code, emphasis,
# links and images, HTML and entities, table cells, strikethrough, maths, mentions.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~$@!])")
# What starts a block only at the start of a line: a heading, quote, list item, rule.
_MARKDOWN_LINE_START = re.compile(r"^(\d*)([#>+\-=.)])")
_BACKTICK_RUNS = re.compile("`+")


def plain(text: str) -> str:
    """``text`` without escape sequences or control characters; newlines and tabs kept.

    A carriage return becomes a newline, so text after it cannot overwrite
    the line before it on a terminal.
    """
    text = _LINE_BREAKS.sub("\n", str(text))
    text = _ESCAPE_SEQUENCES.sub("", text)
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """:func:`plain` text with line breaks and tabs turned into spaces."""
    return " ".join(plain(text).replace("\t", " ").split("\n")).strip()


def markdown_inline(text: str) -> str:
    """One line of Markdown that renders as ``text`` itself, wherever on a line it is put.

    The characters that could start Markdown are backslash-escaped, so no heading,
    list, emphasis, link, image, table cell, HTML tag, entity or code span can start
    inside it; the rest is left as it is, so the Markdown stays readable.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)


def markdown_code(text: str, *, in_table: bool = False) -> str:
    """``text`` on one line as a Markdown code span, delimited by more backticks than it holds.

    Args:
        text: the student text.
        in_table: escape ``|`` too, since GitHub splits table cells before it reads code spans.
    """
    content = one_line(text)
    if in_table:
        content = content.replace("|", "\\|")
    fence = "`" * (_longest_backtick_run(content) + 1)
    padding = " " if content.startswith("`") or content.endswith("`") or not content.strip() else ""
    return f"{fence}{padding}{content}{padding}{fence}"


def markdown_block(text: str, indent: str = "") -> str:
    """``text`` as a fenced Markdown code block whose fence no line of ``text`` can close.

    Args:
        text: the student text; its lines are kept as they are, escapes removed.
        indent: put before every line, e.g. two spaces to keep the block inside a list item.
    """
    cleaned = plain(text).rstrip("\n")
    lines = cleaned.expandtabs(4).split("\n")
    fence = "`" * max(3, _longest_backtick_run(cleaned) + 1)
    return "\n".join(f"{indent}{line}".rstrip() or indent for line in (fence, *lines, fence))


def xml_text(text: str) -> str:
    """:func:`plain` text with the characters XML 1.0 forbids removed (the XML writer escapes the rest)."""
    return _NOT_XML.sub("", plain(text))


def html_text(text: str) -> str:
    """:func:`xml_text` with ``& < > " '`` escaped, for HTML text or attribute values."""
    return html.escape(xml_text(text), quote=True)


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
