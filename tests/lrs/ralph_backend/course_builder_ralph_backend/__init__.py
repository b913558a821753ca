"""Ralph's filesystem LRS backend, fixed for course_builder's tests (Ralph 5.1.0).

Ralph's ``FSLRSBackend`` has three defects that make it unusable as a test LRS
(see shared/notes/lrs-for-tests.md); this subclass fixes them without touching Ralph's files:

1. Writes: the default operation type is CREATE, and every write goes to one file, so once
   ``fs_lrs.jsonl`` exists every POST/PUT fails with 500 "Statements bulk indexation failed".
   Here it is APPEND.
2. Filters: the API hands ``verb`` and ``activity`` over as pydantic ``IRI`` objects, which
   never compare equal to the plain strings in stored statements; and booleans such as
   ``related_activities=false`` arrive unvalidated as the *string* "false", which is truthy.
   Here they are turned back into strings and booleans.
3. Order and paging: results came oldest first, and ``ascending=true`` only reversed each page.
   Here the order is the xAPI one (xAPI 1.0.3 Communication 2.1.3: newest stored first, oldest
   first with ``ascending=true``), across pages, and ``more`` links resume after the last
   statement of the previous page.

Each query used to re-read and re-parse the whole file (once per page, so paging through N
statements cost O(N^2) parses). The parsed statements are kept in memory and only lines
appended since the last query are parsed; a replaced file (the tests' ``clear()``) is noticed
and read again.

``since`` and ``until`` compare with the statement ``timestamp``, as every Ralph backend does
(the xAPI spec says ``stored``); a time without a zone is taken as UTC instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.base import RalphStatementsQuery, StatementQueryResult
from ralph.backends.lrs.fs import FSLRSBackend


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _utc(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


@dataclass
class _Cache:
    path: Path
    inode: int = -1
    offset: int = 0  # bytes parsed so far (always at the end of a line)
    head: bytes = b""  # digest of the first line, to notice a replaced file
    tail: bytes = b""  # digest of the last parsed line
    statements: list[dict] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)  # statement id -> position


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class AppendingFSLRSBackend(FSLRSBackend):
    """``FSLRSBackend`` that appends, filters correctly and pages in xAPI order."""

    default_operation_type = BaseOperationType.APPEND

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._caches: dict[str, _Cache] = {}

    # --- storage -------------------------------------------------------------------------

    def _lrs_file(self, target: str | None) -> Path:
        # The same resolution as FSDataBackend._iter_files_matching_query and FSLRSBackend.write.
        directory = Path(target) if target else Path(self.default_directory)
        if not directory.is_absolute() and directory != Path(self.default_directory):
            directory = Path(self.default_directory) / directory
        return directory / self.settings.DEFAULT_LRS_FILE

    def _load(self, target: str | None) -> _Cache:
        path = self._lrs_file(target)
        cache = self._caches.get(str(path))
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            cache = self._caches[str(path)] = _Cache(path)
            return cache
        with handle:
            inode, size = os.fstat(handle.fileno()).st_ino, os.fstat(handle.fileno()).st_size
            if cache is not None and cache.offset and not self._same_file(handle, cache, inode,
                                                                          size):
                cache = None
            if cache is None:
                cache = self._caches[str(path)] = _Cache(path, inode)
            if size == cache.offset:
                return cache
            handle.seek(cache.offset)
            data = handle.read(size - cache.offset)
        end = data.rfind(b"\n") + 1  # only whole lines: a write may be under way
        for line in data[:end].splitlines():
            if not line.strip():
                continue
            if not cache.head:
                cache.head = _digest(line)
            statement = json.loads(line)
            cache.index[str(statement.get("id"))] = len(cache.statements)
            cache.statements.append(statement)
            cache.tail = _digest(line)
        cache.offset += end
        return cache

    @staticmethod
    def _same_file(handle: Any, cache: _Cache, inode: int, size: int) -> bool:
        """True when the file is the one cached, perhaps with lines appended."""
        if inode != cache.inode or size < cache.offset:
            return False
        handle.seek(0)
        if _digest(handle.readline().rstrip(b"\r\n")) != cache.head:
            return False
        # The last parsed line must still end exactly at the cached offset.
        start = max(0, cache.offset - 1 - 1_000_000)
        handle.seek(start)
        before = handle.read(cache.offset - start).rstrip(b"\r\n")
        last = before[before.rfind(b"\n") + 1:]
        return _digest(last) == cache.tail

    # --- queries -------------------------------------------------------------------------

    def query_statements_by_ids(self, ids: list[str], target: str | None = None) -> list:
        cache = self._load(target)
        wanted = dict.fromkeys(str(i) for i in ids)
        return [cache.statements[cache.index[i]] for i in wanted if i in cache.index]

    def query_statements(self, params: RalphStatementsQuery,
                         target: str | None = None) -> StatementQueryResult:
        filters: list = []
        related_agents = _flag(params.related_agents)
        related_activities = _flag(params.related_activities)
        self._add_filter_by_id(filters, params.statement_id)
        self._add_filter_by_agent(filters, params.agent, related_agents)
        self._add_filter_by_authority(filters, params.authority)
        self._add_filter_by_verb(filters, str(params.verb) if params.verb else None)
        self._add_filter_by_activity(filters, str(params.activity) if params.activity else None,
                                     related_activities)
        self._add_filter_by_registration(filters, params.registration)
        since, until = _utc(params.since), _utc(params.until)
        if since is not None:
            filters.append(lambda s: (t := _utc(s.get("timestamp"))) is not None and t > since)
        if until is not None:
            filters.append(lambda s: (t := _utc(s.get("timestamp"))) is not None and t <= until)

        cache = self._load(target)
        count = len(cache.statements)
        ascending = _flag(params.ascending)
        positions = range(count) if ascending else range(count - 1, -1, -1)
        after = params.search_after
        if after and after != "None":
            at = cache.index.get(str(after))
            if at is None:
                positions = range(0)
            elif ascending:
                positions = range(at + 1, count)
            else:
                positions = range(at - 1, -1, -1)

        limit = int(params.limit or 0)
        found: list[dict] = []
        for position in positions:
            statement = cache.statements[position]
            if all(keep(statement) for keep in filters):
                found.append(statement)
                if limit and len(found) == limit:
                    break
        search_after = found[-1].get("id") if limit and len(found) == limit else None
        return StatementQueryResult(statements=found, pit_id=None, search_after=search_after)
