"""YAML through safe loading, with limits against alias bombs and absurd nesting."""

from __future__ import annotations

from typing import Any

MAX_EXPANDED_NODES = 100_000  # nodes after expanding aliases; a billion-laughs file has 10^9
MAX_DEPTH = 60


class YamlError(ValueError):
    """The file is not YAML we can use; the message says why, with a line when known."""


def _loader_class():
    import yaml

    class BoundedSafeLoader(yaml.SafeLoader):
        """A SafeLoader that refuses alias bombs and deep nesting instead of exhausting memory.

        Each composed node's expanded size (itself plus its children, counting an aliased
        node's full size at every use) is tracked; a document whose expansion exceeds
        ``MAX_EXPANDED_NODES`` is refused before anything walks it.
        """

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._depth = 0
            self._sizes: dict[int, int] = {}

        def compose_node(self, parent, index):  # type: ignore[override]
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise YamlError(f"nested deeper than {MAX_DEPTH} levels (line {mark.line + 1})")
                node = super().compose_node(parent, index)
            finally:
                self._depth -= 1
            size = self._sizes.get(id(node))
            if size is None:
                size = 1 + self._children_size(node)
                self._sizes[id(node)] = size
            if size > MAX_EXPANDED_NODES:
                raise YamlError(
                    f"expands to more than {MAX_EXPANDED_NODES} nodes through aliases "
                    f"(line {node.start_mark.line + 1}): refused as a possible alias bomb"
                )
            return node

        def _children_size(self, node) -> int:
            if isinstance(node, yaml.SequenceNode):
                return sum(self._sizes.get(id(child), 1) for child in node.value)
            if isinstance(node, yaml.MappingNode):
                return sum(
                    self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value
                )
            return 0

    return BoundedSafeLoader


_LOADER = None


def load_all(text: str) -> list[Any]:
    """Every document of a YAML stream. Raises :class:`YamlError` with the parser's reason."""
    global _LOADER
    import yaml

    if _LOADER is None:
        _LOADER = _loader_class()
    loader = _LOADER(text)
    try:
        docs = []
        while loader.check_data():
            docs.append(loader.get_data())
        return docs
    except YamlError:
        raise
    except yaml.YAMLError as exc:
        raise YamlError(" ".join(str(exc).split())[:300]) from None
    except (RecursionError, MemoryError):
        raise YamlError("structure too deep or too large to load") from None
    finally:
        loader.dispose()
