"""Seals for frozen versions: proof that a version is what was frozen, which someone who can edit
the database cannot forge.

A version's SHA-256 alone only proves that the stored text matches the stored hash: whoever can
rewrite one can rewrite both. The seal is an HMAC-SHA256, with a key that is **not in the
database**, over what identifies the version: its id, round, name, author, time and SHA-256. The
key comes from

1. ``PRIORITIZATION_SEAL_KEY`` (at least 32 characters; set the same value on every app process and
   on the machine that runs the command line when several share one database), else
2. the file named by ``PRIORITIZATION_SEAL_KEY_FILE``, else ``var/seal.key`` (next to the embedded
   database), created with 32 random bytes and mode 0600 the first time a version is frozen.

Back the key up with the database: without it, sealed versions can no longer be checked (they are
then shown as not verifiable, never as verified). A version frozen before seals existed is checked
against the digest the audit log recorded when it was frozen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

KEY_ENV = "PRIORITIZATION_SEAL_KEY"
KEY_FILE_ENV = "PRIORITIZATION_SEAL_KEY_FILE"
DEFAULT_KEY_FILE = Path("var") / "seal.key"
MIN_KEY_CHARS = 32


class SealKeyError(RuntimeError):
    """The seal key is configured but unusable (too short, unreadable)."""


def _key_file() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)


def key(*, create: bool) -> bytes | None:
    """The installation's seal key; None when there is none yet and ``create`` is false."""
    if (text := os.environ.get(KEY_ENV)) is not None:
        if len(text.strip()) < MIN_KEY_CHARS:
            raise SealKeyError(f"{KEY_ENV} needs at least {MIN_KEY_CHARS} characters")
        return text.strip().encode("utf-8")
    path = _key_file()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        # written whole under a name of its own, then linked into place: a process that creates
        # the key at the same moment never reads a file that is still empty
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
            os.link(tmp, path)
        except FileExistsError:  # another process made it a moment ago: use theirs
            pass
        finally:
            tmp.unlink(missing_ok=True)
    text = path.read_text().strip()
    if len(text) < MIN_KEY_CHARS:
        raise SealKeyError(f"the seal key file {path} is empty or too short")
    return text.encode("utf-8")


def _utc(at: datetime) -> str:
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.isoformat(timespec="seconds")


def message(version_id: int, round_id: int, name: str, created_by: str, created_at: datetime, sha256: str) -> bytes:
    """What a seal covers, as canonical bytes."""
    return json.dumps({"id": version_id, "round": round_id, "name": name, "by": created_by,
                       "at": _utc(created_at), "sha256": sha256},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def make(msg: bytes) -> str:
    return hmac.new(key(create=True), msg, hashlib.sha256).hexdigest()


def holds(msg: bytes, seal: str) -> bool | None:
    """True: the seal is right; False: it is wrong (the version or its seal was changed); None: no
    key here to check it with."""
    k = key(create=False)
    if k is None:
        return None
    return hmac.compare_digest(hmac.new(k, msg, hashlib.sha256).hexdigest(), seal)
