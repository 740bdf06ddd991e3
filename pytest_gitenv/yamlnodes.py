"""Load YAML keeping the line of every value, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Located:
    """A YAML value with the 1-based line it starts on."""

    value: Any
    line: int

    def plain(self) -> Any:
        """The value with all location wrappers removed."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class DuplicateKeyError(ValueError):
    def __init__(self, key: str, line: int, first_line: int) -> None:
        super().__init__(f"duplicate key {key!r} (first defined on line {first_line})")
        self.line = line


def _convert(node: yaml.Node, loader: yaml.SafeLoader) -> Located:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise DuplicateKeyError(str(key), key_node.start_mark.line + 1, result[key].line)
            result[key] = _convert(value_node, loader)
        return Located(result, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_convert(item, loader) for item in node.value], line)
    return Located(loader.construct_object(node, deep=True), line)


def load_located(path: Path) -> Located:
    """Parse `path`; raises yaml.YAMLError or DuplicateKeyError with a line."""
    text = path.read_text(encoding="utf-8")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, 1)
        return _convert(node, loader)
    finally:
        loader.dispose()
