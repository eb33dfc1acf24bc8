"""Parsing the structured files a user hands the tool: JSON, YAML and TOML documents.

One boundary for all of them (config, answers, checklists, baselines, review.json): any
parse failure is an ``InputError`` naming the file and the place, never the content;
duplicate keys, nesting deeper than ``Limits.depth``, integers longer than
``Limits.int_digits``, non-finite numbers and YAML's binary values and alias bombs are
refused.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from review.core.errors import InputError
from review.core.fsio import read_utf8
from review.core.limits import DEFAULT_LIMITS, Limits

YAML_NODES = 1_000_000
"""Most nodes a YAML document may expand to through aliases (billion-laughs guard)."""

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,39}")


def shown_key(key: object) -> str:
    """A repeated key as an error may show it: plain words only, since a key of a data
    file may itself be a value (a phone number, an e-mail address)."""
    text = str(key)
    plain = _PLAIN_KEY.fullmatch(text) and sum(c.isdigit() for c in text) <= 4
    return f"'{text}'" if plain else "a key"


def depth_of(value: object, limit: int) -> int:
    """Nesting depth of lists and dicts in ``value`` (iterative: no recursion), at most
    ``limit + 1`` (the walk stops once past the limit)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list | tuple):
            level += 1
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level) for child in children)
    return deepest


def _too_deep(fmt: str, limits: Limits) -> str:
    return f"{fmt} nested too deeply (the limit is {limits.depth} levels)"


def _check_depth(value: object, source: str | Path, limits: Limits, fmt: str) -> None:
    if depth_of(value, limits.depth) > limits.depth:
        raise InputError(source, _too_deep(fmt, limits))


def parse_json(text: str, source: str | Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A JSON document; duplicate keys, NaN/Infinity and over-long integers are errors."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _Refused(
                    f"duplicate key {shown_key(key)} in one object (each key must appear once)"
                )
            out[key] = value
        return out

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.int_digits:
            raise _Refused(f"an integer has more than {limits.int_digits} digits")
        return int(digits)

    def constant(name: str) -> Any:
        raise _Refused(f"{name} is not a number JSON allows")

    try:
        value = json.loads(
            text, object_pairs_hook=unique, parse_int=integer, parse_constant=constant
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            source, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except _Refused as exc:
        raise InputError(source, str(exc)) from None
    except RecursionError:
        raise InputError(source, _too_deep("JSON", limits)) from None
    _check_depth(value, source, limits, "JSON")
    return value


class _Refused(ValueError):
    """Raised inside a parser's hook; becomes an InputError naming the file."""


def read_json(path: Path, kind: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse a UTF-8 JSON file (see ``parse_json``)."""
    return parse_json(read_utf8(path, kind, limits.document_bytes), path, limits)


def parse_toml(text: str, source: str | Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """A TOML document; nesting and integers are bounded like JSON's."""
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"invalid TOML: {exc}") from None
    except RecursionError:
        raise InputError(source, _too_deep("TOML", limits)) from None
    except ValueError:  # int() past Python's digit bound
        raise InputError(source, f"an integer has more than {limits.int_digits} digits") from None
    _check_depth(value, source, limits, "TOML")
    _check_integers(value, source, limits)
    return value


def _check_integers(value: object, source: str | Path, limits: Limits) -> None:
    bound = 10**limits.int_digits
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) >= bound:
            raise InputError(source, f"an integer has more than {limits.int_digits} digits")


def read_toml(path: Path, kind: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Parse a UTF-8 TOML file (see ``parse_toml``)."""
    return parse_toml(read_utf8(path, kind, limits.document_bytes), path, limits)


class StrictYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stricter: duplicate keys, ``.nan``/``.inf``, ``!!binary``,
    nesting past the limit, integers past the digit bound and alias bombs are errors."""

    limits: Limits = DEFAULT_LIMITS

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # The composer recurses once per level: bound it before Python's stack does.
        self._depth += 1
        try:
            if self._depth > self.limits.depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, _too_deep("YAML", self.limits), mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shown_key(key)}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    value = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise yaml.constructor.ConstructorError(
            None, None, "not a finite number (.nan and .inf are not accepted)", node.start_mark
        )
    return value


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    limit = StrictYamlLoader.limits.int_digits
    if isinstance(loader, StrictYamlLoader):
        limit = loader.limits.int_digits
    if sum(c.isdigit() for c in text) > limit:
        raise yaml.constructor.ConstructorError(
            None, None, f"an integer has more than {limit} digits", node.start_mark
        )
    return loader.construct_yaml_int(node)


def _refuse_binary(loader: yaml.SafeLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, "binary values (!!binary) are not accepted", node.start_mark
    )


StrictYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
StrictYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
StrictYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
StrictYamlLoader.add_constructor("tag:yaml.org,2002:binary", _refuse_binary)


def _expanded_size(root: yaml.Node) -> int:
    """Nodes the document holds once aliases are expanded (shared nodes counted each
    time they are used), capped just past ``YAML_NODES``; -1 for a recursive alias."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            open_nodes.discard(id(node))
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            sizes[id(node)] = min(total, YAML_NODES + 1)
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            return -1
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def parse_yaml(text: str, source: str | Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A YAML document through ``StrictYamlLoader``."""
    loader_type = type("BoundYamlLoader", (StrictYamlLoader,), {"limits": limits})
    try:
        loader = loader_type(text)
    except yaml.reader.ReaderError as exc:
        raise InputError(
            source, f"invalid YAML: a control character at position {exc.position}"
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node)
        if size < 0:
            raise InputError(source, "an alias refers to the node that holds it (recursive)")
        if size > YAML_NODES:
            raise InputError(
                source, f"aliases expand to more than {YAML_NODES} nodes (a YAML bomb)"
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise InputError(source, f"invalid YAML: {exc.problem or exc.context}{where}") from None
    except yaml.reader.ReaderError as exc:
        raise InputError(
            source, f"invalid YAML: a control character at position {exc.position}"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"invalid YAML: {type(exc).__name__}") from None
    except RecursionError:
        raise InputError(source, _too_deep("YAML", limits)) from None
    finally:
        loader.dispose()


def read_yaml(path: Path, kind: str = "YAML file", limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse a UTF-8 YAML file (see ``parse_yaml``)."""
    return parse_yaml(read_utf8(path, kind, limits.document_bytes), path, limits)
