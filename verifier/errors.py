"""The one error type a command raises when it cannot do what was asked (exit status 2)."""

from __future__ import annotations

from pathlib import Path


class ToolError(Exception):
    """An unusable input or output (unwritable output path, unusable batch source); the message
    is one line naming the path and why."""


def write_text_output(path: Path, text: str) -> None:
    """Write an output file the user named, or raise ToolError saying why it cannot be."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_output_path(path: Path, option: str) -> None:
    """Refuse, before any work is done, an output path that cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ToolError(f"{option} {path} is a folder")
    if not parent.is_dir():
        raise ToolError(f"{option} {path}: the folder {parent} does not exist")
