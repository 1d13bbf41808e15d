"""Errors raised by storage for bad input; ``code`` and ``params`` let the UI translate them."""

from __future__ import annotations

from prioritization.errors import InputError


class StorageInputError(InputError):
    def __init__(self, code: str, message: str, **params):
        self.code = code
        self.params = params
        super().__init__(message)


class StaleWrite(StorageInputError):
    """Someone else changed the same thing since it was read (optimistic locking)."""

    def __init__(self, what: str):
        super().__init__("stale_write", f"{what} was changed by someone else; reload and try again", what=what)
