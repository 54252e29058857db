"""A parsed file checked against its pydantic model, each failure as a `Problem` with the
file's path and the line of the offending key (content files and the project file alike)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .problems import Problem, field_path
from .yamlmap import Located

M = TypeVar("M", bound=BaseModel)


def _clean_loc(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union/type tags from an error location, keeping real keys."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and out[-1:] != [part]:
            # A missing key: name it, but it has no line of its own.
            if part.isidentifier():
                out.append(part)
            node = None
        # else: a type tag such as 'float' or 'tuple[float, float]'
    return tuple(out)


def _choices(model: type[BaseModel], loc: tuple[object, ...]) -> str:
    """' (one of: a, b)' when the missing field takes a fixed set of values, else ''."""
    import enum
    import typing

    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None or not isinstance(part, str) or part not in fields:
            return ""
        current = fields[part].annotation
        # Unwrap Optional, list[...] and nested models to the type the next part names.
        for arg in (*typing.get_args(current), current):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                current = arg
                break
    values: list[str] = []
    if typing.get_origin(current) is typing.Literal:
        values = [str(v) for v in typing.get_args(current)]
    elif isinstance(current, type) and issubclass(current, enum.Enum):
        values = [str(m.value) for m in current]
    return f" (one of: {', '.join(values)})" if values else ""


def validate_model(model: type[M], located: Located, rel: str, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        seen: set[str] = set()
        for err in exc.errors(include_url=False):
            loc = _clean_loc(located.data, tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = "required field is missing" + _choices(model, tuple(err["loc"]))
            elif err["type"] == "extra_forbidden":
                msg = "unknown field (check the spelling against docs/content-format.md)"
            key = field_path(loc)
            if key in seen:  # a union reports one failure per branch: the first says enough
                continue
            seen.add(key)
            problems.append(Problem(rel, located.line_of(loc), field_path(loc), msg))
        return None
