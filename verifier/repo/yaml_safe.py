"""YAML through safe loading, with limits against alias bombs and absurd nesting.

Documents are first composed into a node graph (aliases stay shared references, so composing
a "billion laughs" file is cheap), then measured: the size it would have with every alias
expanded, its depth, and whether an alias points into itself. Only a document within the
limits is constructed into Python objects, by PyYAML's safe constructor (libyaml's parser when
available, for speed).
"""

from __future__ import annotations

from typing import Any

MAX_EXPANDED_NODES = 100_000  # a billion-laughs file expands to 10^9
MAX_DEPTH = 60


class YamlError(ValueError):
    """The file is not YAML we can use; the message says why, with a line when known."""


def load_all(text: str) -> list[Any]:
    """Every document of a YAML stream. Raises :class:`YamlError` with the parser's reason."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    loader = loader_class(text)
    try:
        docs = []
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            check_bounds(node)
            docs.append(loader.construct_document(node))
        return docs
    except YamlError:
        raise
    except yaml.YAMLError as exc:
        raise YamlError(" ".join(str(exc).split())[:300]) from None
    except (RecursionError, MemoryError):
        raise YamlError("structure too deep or too large to load") from None
    finally:
        loader.dispose()


def _children(node) -> list:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_bounds(root) -> int:
    """The expanded size of a composed node graph; raises :class:`YamlError` past the limits."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > MAX_EXPANDED_NODES:
                raise YamlError(
                    f"expands to more than {MAX_EXPANDED_NODES} nodes through aliases "
                    f"(line {node.start_mark.line + 1}): refused as a possible alias bomb"
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YamlError(f"an alias refers to its own ancestor (line {node.start_mark.line + 1})")
        if depth > MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels (line {node.start_mark.line + 1})")
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]
