"""YAML through safe loading, with limits against alias bombs and absurd nesting.

Documents are first composed into a node graph (aliases stay shared references, so composing
a "billion laughs" file is cheap), then measured: the size it would have with every alias
expanded, in nodes and in bytes of scalar text (one large anchor used many times is as bad as
many small ones), its depth, and whether an alias points into itself. Only a document within the
limits is constructed into Python objects, by PyYAML's safe constructor (libyaml's parser when
available, for speed).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (it costs 3 ms)
if TYPE_CHECKING:
    from typing import Any


MAX_EXPANDED_NODES = 100_000  # a billion-laughs file expands to 10^9
MAX_EXPANDED_BYTES = 4_000_000  # scalar text with aliases expanded (files are read up to 1 MB)
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
    """The expanded size of a composed node graph in nodes; raises :class:`YamlError` past the
    limits (nodes, bytes of scalar text, depth) or for an alias into its own ancestor."""
    sizes: dict[int, tuple[int, int]] = {}  # id -> (nodes, bytes) with aliases expanded
    open_nodes: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            children = [sizes[id(child)] for child in _children(node)]
            size = 1 + sum(nodes for nodes, _ in children)
            length = len(node.value) if isinstance(node.value, str) else 0
            length += sum(part for _, part in children)
            where = f"line {node.start_mark.line + 1}"
            if size > MAX_EXPANDED_NODES:
                raise YamlError(
                    f"expands to more than {MAX_EXPANDED_NODES} nodes through aliases "
                    f"({where}): refused as a possible alias bomb"
                )
            if length > MAX_EXPANDED_BYTES:
                raise YamlError(
                    f"expands to more than {MAX_EXPANDED_BYTES // 1_000_000} MB of text through "
                    f"aliases ({where}): refused as a possible alias bomb"
                )
            sizes[key] = (size, length)
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
    return sizes[id(root)][0]
