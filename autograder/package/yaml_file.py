"""CI files as YAML: written from data by PyYAML, so they are valid YAML by construction.

Multi-line strings (the shell scripts of a job) are written as literal blocks,
keys keep their order, and a comment at the top says where the file came from.
"""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with scripts as ``|`` blocks and lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        """Indent list items under their key, as GitHub's and GitLab's documentation write them."""
        return super().increase_indent(flow, False)


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def to_yaml(document: dict, header: str) -> str:
    """``document`` as YAML after ``header``, each of whose lines becomes a comment."""
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.strip("\n").split("\n"))
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)
    return comment + body
