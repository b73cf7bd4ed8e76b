"""A stable, readable dump of the model (like docutils' pseudo-XML).

Golden dumps make a change in parsing visible apart from a change in layout. Each node
prints as its class name, its scalar fields, and ``@file:line`` of its source; child
nodes and tuples are indented below it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pipeline.model.tree import Source


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date | dt.time) or value is None


def _nodes(value: Any) -> bool:
    return dataclasses.is_dataclass(value) or (isinstance(value, tuple) and any(not _scalar(v) for v in value))


def dump(node: Any, indent: int = 0) -> str:
    """The dump of ``node`` and everything under it."""
    pad = "  " * indent
    if not dataclasses.is_dataclass(node):
        return f"{pad}{node!r}\n"
    scalars, children = [], []
    where = ""
    for f in dataclasses.fields(node):
        if not f.repr:  # kept out of the text (an image's bytes)
            continue
        value = getattr(node, f.name)
        if isinstance(value, Source):
            where = f" @{value.path}:{value.line}"
        elif _nodes(value):
            children.append((f.name, value))
        elif isinstance(value, dict):
            scalars.append(f"{f.name}={{{', '.join(f'{k}: …' for k in sorted(value))}}}")
        elif isinstance(value, dt.date | dt.time):
            scalars.append(f"{f.name}={value.isoformat()}")
        else:
            scalars.append(f"{f.name}={value!r}" if not isinstance(value, tuple) else f"{f.name}={list(value)!r}")
    out = [f"{pad}{type(node).__name__}{' ' if scalars else ''}{' '.join(scalars)}{where}\n"]
    for name, value in children:
        out.append(f"{pad}  .{name}:\n")
        for item in value if isinstance(value, tuple) else (value,):
            out.append(dump(item, indent + 2))
    return "".join(out)
