"""Bounded, tolerant reading of one file's bytes into text."""

from __future__ import annotations

from verifier.records import record

DEFAULT_SIZE_CAP = 1_000_000  # bytes; larger files are skipped with a note
BINARY_SNIFF = 8192


@record(frozen=True)
class TextContent:
    """A file's decoded text, or why there is none."""

    text: str | None  # None when the file was skipped
    reason: str = ""  # why it was skipped, or how it was decoded with losses


def decode(data: bytes) -> TextContent:
    """Text from bytes: binary files are refused, invalid UTF-8 is replaced and noted."""
    if b"\0" in data[:BINARY_SNIFF]:
        return TextContent(None, "binary file (NUL bytes), skipped")
    try:
        text = data.decode("utf-8")
        reason = ""
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        reason = f"invalid UTF-8 at byte {exc.start}; read with replacement characters"
    if text.startswith("\ufeff"):
        text = text[1:]
    return TextContent(text.replace("\r\n", "\n").replace("\r", "\n"), reason)


def describe_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.0f} kB"
