"""Safe YAML parsing that remembers the line of every key and list item.

PyYAML's safe loader gives plain data but forgets where it came from; analysts need
`content/x.md:12: measures[2].period: …`. We compose the node graph with the safe loader,
build the data ourselves from it, and keep a map from each path to its 1-based line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Located:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    line_offset: int = 0

    def line_of(self, path: Path) -> int:
        """Line of the deepest known prefix of `path` (the offending key or its parent)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line + self.line_offset
        return 1 + self.line_offset


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a silent overwrite loses a fact)."""


# libyaml's parser, when PyYAML has it, composes the same nodes (with the same lines) about
# ten times faster: a thousand summaries load in seconds rather than tens of seconds. Errors
# are reported by the pure-Python parser, whose messages the docs and tests quote.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


def parse(text: str, line_offset: int = 0) -> Located:
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlError(line, f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise YamlError(1 + line_offset, f"malformed YAML: {exc}") from None
    located = Located(data=None, line_offset=line_offset)
    if node is None:
        located.data = {}
        return located
    constructor = _Loader(text)
    try:
        located.data = _build(node, (), located.lines, constructor)
    except YamlError as exc:
        raise YamlError(exc.line + line_offset, exc.message) from None
    return located


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], ctor: _Loader) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key = ctor.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), lines, ctor)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            items.append(_build(item, (*path, index), lines, ctor))
        return items
    value = ctor.construct_object(node, deep=True)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@dataclass
class FrontMatterFile:
    meta: Located
    body: str
    body_line: int  # 1-based line where the Markdown body starts


def split_front_matter(text: str) -> FrontMatterFile:
    """Split `---` YAML front matter from a Markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise YamlError(1, "missing YAML front matter: the file must start with a line '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta_text = "".join(lines[1:index])
            meta = parse(meta_text, line_offset=1)
            return FrontMatterFile(meta, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "front matter is not closed: no second line '---'")
