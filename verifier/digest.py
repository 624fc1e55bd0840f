"""SHA-1 of cache keys and fingerprints, without importing :mod:`hashlib` (which loads OpenSSL:
about 3 ms of every start-up); the digests are the same."""

from __future__ import annotations

try:
    from _sha1 import sha1
except ImportError:  # an interpreter built without its own SHA-1
    from hashlib import sha1

__all__ = ["sha1"]
