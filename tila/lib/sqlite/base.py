"""Django's SQLite backend with a LIKE that folds case for every letter, not only ASCII.

SQLite's own LIKE ignores case only for A-Z, so a search for "äänekoski" would not find
"Äänekoski". SQLite lets an application replace the like() function that LIKE calls."""

import re
import sqlite3
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=256)
def like_pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    """Translate a LIKE pattern (% and _ wildcards, optional escape character) to a regex."""
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if escape is not None and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char.casefold()))
    return re.compile("".join(parts), re.DOTALL)


def unicode_like(pattern: str | None, value: Any, escape: str | None = None) -> bool | None:
    if pattern is None or value is None:
        return None
    return like_pattern(pattern, escape).fullmatch(str(value).casefold()) is not None


WAL = "PRAGMA journal_mode=WAL"


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        commands: list[str] = getattr(self, "init_commands", [])
        # Switching to WAL takes a lock that the busy timeout does not wait for: a database
        # that is in WAL already (the usual case) is left alone, see get_new_connection.
        self.wants_wal = any(
            command.strip().replace(" ", "").upper() == WAL.replace(" ", "").upper()
            for command in commands
        )
        self.init_commands = [
            command
            for command in commands
            if command.strip().replace(" ", "").upper() != WAL.replace(" ", "").upper()
        ]
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        connection: sqlite3.Connection = super().get_new_connection(conn_params)
        if getattr(self, "wants_wal", False):
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() not in ("wal", "memory"):
                connection.execute(WAL)
        connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.create_function("like", 3, unicode_like, deterministic=True)
        return connection
