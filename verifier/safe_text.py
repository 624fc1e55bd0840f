"""Text from a repository or a group list, made safe to show: printable on one line, and URLs
without the credentials they may carry.

Every place that prints repository or CSV text to a terminal or a log goes through
:func:`printable`; every URL the tool prints or stores goes through :func:`without_credentials`.
"""

from __future__ import annotations

import re

from verifier.lazy_re import lazy

# C0 and C1 control characters (ESC, CSI, BEL, CR, LF, ...), DEL, and the bidirectional
# overrides and isolates that reorder what a terminal shows.
_UNPRINTABLE = lazy(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
# user info of a URL: everything between "://" and the first "@" before any "/", space or quote
_USERINFO = lazy(r"://[^/\s@'\"<>]*@")
# the query and fragment of a URL ("?token=...", "#access_token=..."): a repository's address
# needs neither, and tokens travel in them too
_QUERY = lazy(r"(://[^\s'\"<>?#]*)[?#][^\s'\"<>]*")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: object) -> str:
    """One line of inert text: control characters and line breaks become visible escapes
    (``\\e[2J``, ``\\n``), so nothing can move the cursor, clear the screen or add a line."""
    return _UNPRINTABLE.sub(_escape, str(text))


def without_credentials(text: str) -> str:
    """``https://user:TOKEN@host/x?token=T`` becomes ``https://host/x``, wherever URLs occur in
    ``text`` (a URL alone, or git's error message quoting one)."""
    if "@" in text:
        text = _USERINFO.sub("://", text)
    if "://" in text and ("?" in text or "#" in text):
        text = _QUERY.sub(r"\1", text)
    return text
