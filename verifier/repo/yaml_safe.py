"""YAML through safe loading, with limits against alias bombs and absurd nesting."""

from __future__ import annotations

from typing import Any

MAX_ALIASES = 200
MAX_DEPTH = 60


class YamlError(ValueError):
    """The file is not YAML we can use; the message says why, with a line when known."""


def _loader_class():
    import yaml

    class BoundedSafeLoader(yaml.SafeLoader):
        """A SafeLoader that refuses alias bombs and deep nesting instead of exhausting memory."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._aliases = 0
            self._depth = 0

        def compose_node(self, parent, index):  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                self._aliases += 1
                if self._aliases > MAX_ALIASES:
                    mark = self.peek_event().start_mark
                    raise YamlError(
                        f"more than {MAX_ALIASES} aliases (line {mark.line + 1}): "
                        "refused as a possible alias bomb"
                    )
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise YamlError(f"nested deeper than {MAX_DEPTH} levels (line {mark.line + 1})")
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

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
