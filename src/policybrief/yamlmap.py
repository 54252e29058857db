"""Safe YAML parsing that remembers the line of every key and list item.

PyYAML's safe loader gives plain data but forgets where it came from; analysts need
`content/x.md:12: measures[2].period: …`. We build the data ourselves from the parser's
event stream, with an explicit stack, and keep a map from each path to its 1-based line.

Why events and not PyYAML's composer: the composer (in C and in Python) recurses once per
nesting level, so a file nested 100,000 deep overflows the C stack (signal 11) or Python's
(RecursionError). The parser itself is a state machine with no recursion; streaming its
events lets us stop at the depth limit before any of that data exists.

What content YAML may hold (docs/threat-model.md):
- Plain data only: mappings, lists, strings, numbers, booleans, null and dates. An explicit
  tag other than the core schema's (`!!python/...`, `!custom`, `!!binary`, `!!set`) is an
  error, never a constructor call.
- No anchors and no aliases. Summaries are short and written by hand; an alias would make
  one value appear at several paths (which line is wrong?), and aliases are what alias bombs
  ("billion laughs") and self-referencing structures are made of. Refusing them costs
  analysts nothing and removes the whole class.
- No merge keys (`<<:`), which are built from aliases and hide where a field came from.
- No duplicate keys (a silent overwrite loses a fact).
- Numbers are finite (no `.inf`, `.nan`, `1e309`) and integers at most 2**53 in magnitude,
  so every value survives JSON and float arithmetic.
- Dates are real dates (2023-02-30 is an error, not a crash).
- One YAML document per file; nesting at most `Limits.max_yaml_depth` deep.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from .limits import DEFAULT_LIMITS, Limits

Path = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
# Tags a scalar may resolve to (implicitly, or by an explicit core-schema tag). Timestamps
# are YAML 1.1's implicit dates (`published: 2024-03-03`), which the content format uses.
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {None, "!", _CORE + "map", _CORE + "seq"}
# JSON's safe integer range: larger integers lose precision as floats, and no figure in a
# policy brief needs them.
MAX_INT = 2**53


class YamlError(Exception):
    def __init__(self, line: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


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
    """The pure-Python safe loader: its resolver and scalar constructors, and its parser's
    error messages (which the docs and tests quote)."""


# libyaml's parser, when PyYAML has it, produces the same events (with the same lines) much
# faster: a thousand summaries load in seconds rather than tens of seconds. Errors are
# reported by the pure-Python parser.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _field(path: Path) -> str:
    from .problems import field_path

    text = field_path(path)
    return text if len(text) <= 60 else text[:59] + "…"


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    key: str | None = None  # a mapping's key waiting for its value


class _Builder:
    """Plain data and a line map from a stream of parser events, without recursion."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.ctor = _Loader("")
        self.lines: dict[Path, int] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentEndEvent):
            return
        line = event.start_mark.line + 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlError(line, "only one YAML document is allowed (a second '---' starts another)")
            return
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()
            return
        path = self._path_here(line, event)
        if path is None:
            return  # a mapping's key, recorded by `_key`
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(
                line, f"alias '*{event.anchor}' is not allowed: write the value out", _field(path)
            )
        if event.anchor is not None:  # type: ignore[attr-defined]
            raise YamlError(
                line,
                f"anchor '&{event.anchor}' is not allowed: write the value out",  # type: ignore[attr-defined]
                _field(path),
            )
        if isinstance(event, yaml.ScalarEvent):
            self._place(self._scalar(event, line, path))
            return
        tag = event.tag  # type: ignore[attr-defined]
        if tag not in _COLLECTION_TAGS:
            raise YamlError(line, f"the YAML tag '{tag}' is not allowed: content is plain data", _field(path))
        is_map = isinstance(event, yaml.MappingStartEvent)
        if tag == _CORE + ("seq" if is_map else "map"):
            raise YamlError(line, f"the YAML tag '{tag}' does not fit this value", _field(path))
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self._place(container)
        self.stack.append(_Frame(container, path))
        if len(self.stack) > self.limits.max_yaml_depth:
            raise YamlError(
                line,
                f"nested more than {self.limits.max_yaml_depth} levels deep "
                "([limits] max_yaml_depth in policybrief.toml; see docs/threat-model.md)",
                _field(path),
            )

    def _path_here(self, line: int, event: yaml.Event) -> Path | None:
        """The path of the value that starts with `event`, or None when `event` is a
        mapping's key (recorded here). Records the line of every key and list item."""
        if not self.stack:
            self.lines.setdefault((), line)
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            self.lines[path] = line
            return path
        if frame.key is None:
            self._key(frame, event, line)
            return None
        return (*frame.path, frame.key)

    def _key(self, frame: _Frame, event: yaml.Event, line: int) -> None:
        where = _field(frame.path)
        if not isinstance(event, yaml.ScalarEvent):
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(line, f"alias '*{event.anchor}' is not allowed: write the value out", where)
            raise YamlError(line, "a key must be plain text, not a list or mapping", where)
        if event.anchor is not None:
            raise YamlError(line, f"anchor '&{event.anchor}' is not allowed: write the value out", where)
        tag = self._scalar_tag(event)
        if tag == _CORE + "merge":
            raise YamlError(line, "merge keys ('<<') are not allowed: write the fields out", where)
        key = self._scalar(event, line, frame.path)
        key = key if isinstance(key, str) else str(key)
        assert isinstance(frame.container, dict)
        if key in frame.container:
            raise YamlError(line, f"duplicate key '{key}'", _field((*frame.path, key)))
        frame.key = key
        self.lines[(*frame.path, key)] = line

    def _place(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            assert frame.key is not None
            frame.container[frame.key] = value
            frame.key = None

    def _scalar_tag(self, event: yaml.ScalarEvent) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            return self.ctor.resolve(yaml.ScalarNode, event.value, event.implicit)
        return tag

    def _scalar(self, event: yaml.ScalarEvent, line: int, path: Path) -> Any:
        tag = self._scalar_tag(event)
        where = _field(path)
        if tag not in _SCALAR_TAGS:
            if tag == _CORE + "merge":
                raise YamlError(line, "merge keys ('<<') are not allowed: write the fields out", where)
            if event.tag not in (None, "!"):
                raise YamlError(line, f"the YAML tag '{tag}' is not allowed: content is plain data", where)
            tag = _CORE + "str"  # an implicit oddity such as '=' is just text
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.ctor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
            kind = tag.removeprefix(_CORE)
            if kind == "int":  # Python refuses to convert more than 4,300 digits
                raise YamlError(
                    line, f"number too large: '{_short(event.value)}' (at most 2**53)", where
                ) from None
            what = "date" if kind == "timestamp" else kind
            reason = getattr(exc, "problem", None) or str(exc)
            raise YamlError(line, f"not a valid {what}: '{_short(event.value)}' ({reason})", where) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise YamlError(line, f"not a finite number: '{_short(event.value)}'", where)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise YamlError(line, f"number too large: '{_short(event.value)}' (at most 2**53)", where)
        if isinstance(value, dt.datetime):
            return value.date()
        return value


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _events(text: str, loader: type) -> Any:
    return yaml.parse(text, Loader=loader)


def parse(text: str, line_offset: int = 0, limits: Limits = DEFAULT_LIMITS) -> Located:
    located = Located(data=None, line_offset=line_offset)
    loaders = [_FAST_LOADER, _Loader] if _FAST_LOADER is not None else [_Loader]
    for attempt, loader in enumerate(loaders):
        builder = _Builder(limits)
        try:
            for event in _events(text, loader):
                builder.feed(event)
        except YamlError as exc:
            raise YamlError(exc.line + line_offset, exc.message, exc.field) from None
        except yaml.MarkedYAMLError as exc:
            if attempt + 1 < len(loaders):
                continue  # the pure-Python parser words the message the way the docs show
            mark = exc.problem_mark or exc.context_mark
            line = (mark.line + 1 if mark else 1) + line_offset
            # PyYAML's reader appends the position on a second line; the line is ours to give.
            reason = str(exc.problem or exc.context).split("\n")[0]
            raise YamlError(line, f"malformed YAML: {reason}") from None
        except yaml.YAMLError as exc:  # pragma: no cover - defensive
            if attempt + 1 < len(loaders):
                continue
            raise YamlError(1 + line_offset, f"malformed YAML: {exc}") from None
        located.lines = builder.lines
        # An empty file is an empty mapping, as PyYAML's safe_load would not say but the
        # loader expects; an explicit `null` stays None and is reported as not a mapping.
        located.data = builder.root if builder.lines else {}
        return located
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class FrontMatterFile:
    meta: Located
    body: str
    body_line: int  # 1-based line where the Markdown body starts


def split_front_matter(text: str, limits: Limits = DEFAULT_LIMITS) -> FrontMatterFile:
    """Split `---` YAML front matter from a Markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise YamlError(1, "missing YAML front matter: the file must start with a line '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta_text = "".join(lines[1:index])
            meta = parse(meta_text, line_offset=1, limits=limits)
            return FrontMatterFile(meta, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "front matter is not closed: no second line '---'")
