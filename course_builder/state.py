"""The saved-state format (version 1), mirrored from ``runtime/core/state.js``.

Used for two things: proving at build time that a course's state fits the target's suspend_data
limit, and ``course-builder decode-state`` for support staff. See docs/saved-state.md.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from course_builder.errors import PluginFailure
from course_builder.model import Block, Course

VERSION = "1"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
#: Longer input is refused unread: SCORM 2004's suspend_data holds 64,000 characters.
MAX_INPUT = 65_536
_NUMBER = re.compile(r"^(0|[1-9a-z][0-9a-z]{0,5})$")
_FINGERPRINT = re.compile(r"^[0-9a-z]{4}$")
_VALUE = re.compile(r"^[A-Za-z0-9._-]+$")


def base36_len(value: int) -> int:
    digits = 1
    while value >= 36:
        value //= 36
        digits += 1
    return digits


def stateful_blocks(course: Course) -> list[Block]:
    """Blocks with saved state, in course order; their position is their key in the state."""
    return [b for b in course.blocks if b.max_state_chars > 0]


def fingerprint(course: Course) -> str:
    """Four base-36 characters that change when pages or stateful blocks change."""
    names = [p.id for p in course.pages] + [f"{b.type}:{b.key}" for b in stateful_blocks(course)]
    digest = int(hashlib.sha256("\n".join(names).encode()).hexdigest(), 16)
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(4):
        digest, rem = divmod(digest, 36)
        out += chars[rem]
    return out


def max_length(course: Course) -> tuple[int, list[tuple[Block, int]]]:
    """The longest suspend_data this course can produce, and each stateful block's share."""
    pages = len(course.pages)
    header = len(VERSION) + 1 + 4 + 1 + base36_len(max(pages - 1, 0)) + 1 + math.ceil(pages / 6) + 1
    shares = []
    blocks = stateful_blocks(course)
    for index, block in enumerate(blocks):
        shares.append((block, base36_len(index) + 1 + block.max_state_chars))
    separators = max(len(blocks) - 1, 0)
    return header + sum(share for _, share in shares) + separators, shares


@dataclass
class SavedState:
    """One learner's saved progress, as the runtime keeps it (``runtime/core/state.js``).

    ``seen`` has one flag per page; ``blocks`` maps a stateful block's position among the
    course's stateful blocks to the string its plugin saved."""

    fingerprint: str
    bookmark: int
    seen: list[bool] = field(default_factory=list)
    blocks: dict[int, str] = field(default_factory=dict)


def encode(state: SavedState, page_count: int | None = None) -> str:
    """The suspend_data string for ``state``, byte for byte what ``CB.State.encode`` writes.
    ``page_count`` (default ``len(state.seen)``) sets the length of the pages-seen field."""
    pages = len(state.seen) if page_count is None else page_count
    seen = ""
    for start in range(0, pages, 6):
        bits = sum(1 << j for j in range(6)
                   if start + j < pages and start + j < len(state.seen) and state.seen[start + j])
        seen += _B64[bits]
    entries = "*".join(f"{_base36(index)}={value}"
                       for index, value in sorted(state.blocks.items()) if value)
    return "~".join((VERSION, state.fingerprint, _base36(state.bookmark), seen, entries))


def _base36(value: int) -> str:
    if value < 0:
        raise ValueError(f"a saved-state number cannot be negative ({value})")
    digits = ""
    while True:
        value, rem = divmod(value, 36)
        digits = _BASE36[rem] + digits
        if not value:
            return digits


def parse(text: str) -> SavedState:
    """Read a suspend_data string, strictly: anything ``encode`` could not have written
    (a negative or padded number, a character outside a field's alphabet, blocks out of order
    or twice, more than :data:`MAX_INPUT` characters) raises ``ValueError`` saying what."""
    text = text.strip()
    if len(text) > MAX_INPUT:
        raise ValueError(f"the text is longer than {MAX_INPUT:,} characters, which saved "
                         "state never is (SCORM 2004 allows 64,000); is this the suspend_data, "
                         "copied whole?")
    parts = text.split("~")
    if len(parts) != 5 or parts[0] != VERSION:
        raise ValueError("this is not course_builder saved state (expected 5 fields separated by "
                         f"'~' starting with version {VERSION})")
    _, fp, bookmark_text, seen_text, entries = parts
    if not _FINGERPRINT.match(fp):
        raise ValueError(f"the course fingerprint {_shown(fp)} is not 4 characters a-z, 0-9")
    bookmark = _number(bookmark_text, "the bookmark")
    seen: list[bool] = []
    for char in seen_text:
        index = _B64.find(char)
        if index < 0:
            raise ValueError(f"the pages-seen field has an unexpected character {_shown(char)}")
        seen.extend(bool(index >> bit & 1) for bit in range(6))
    blocks: dict[int, str] = {}
    for entry in entries.split("*") if entries else ():
        key, equals, value = entry.partition("=")
        index = _number(key, "a block's position")
        if not equals or not _VALUE.match(value):
            raise ValueError(f"block entry {_shown(entry)} is not <position>=<state> with the "
                             "state in A-Z a-z 0-9 . _ -")
        if blocks and index <= max(blocks):
            raise ValueError(f"block {_shown(key)} is out of order or repeated")
        blocks[index] = value
    return SavedState(fp, bookmark, seen, blocks)


def _number(text: str, what: str) -> int:
    # int(text, 36) would take "-1", "+1", " 1", "1_0" and thousands of digits
    if not _NUMBER.match(text):
        raise ValueError(f"{what} {_shown(text)} is not a base-36 number (0-9, a-z, at most "
                         "6 digits, no sign)")
    return int(text, 36)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


def decode(text: str, course: Course | None = None) -> dict[str, Any]:
    """Readable JSON for a suspend_data string copied from an LMS (see :func:`parse`)."""
    state = parse(text)
    result: dict[str, Any] = {"format_version": int(VERSION), "fingerprint": state.fingerprint,
                              "bookmark_page": state.bookmark, "length": len(text.strip())}
    if course is None:
        result["pages_seen"] = [i for i, bit in enumerate(state.seen) if bit]
        result["blocks"] = {str(k): v for k, v in state.blocks.items()}
        return result
    pages = course.pages
    result["same_course_version"] = state.fingerprint == fingerprint(course)
    if state.bookmark < len(pages):
        page = pages[state.bookmark]
        result["bookmark_page"] = {"index": state.bookmark, "id": page.id, "title": page.title}
    else:
        result["bookmark_page"] = {"index": state.bookmark,
                                   "problem": f"beyond the course's {len(pages)} pages"}
    seen = [p.id for i, p in enumerate(pages) if i < len(state.seen) and state.seen[i]]
    result["pages_seen"] = {"count": len(seen), "of": len(pages), "ids": seen}
    stateful = stateful_blocks(course)
    blocks: dict[str, Any] = {}
    for index, value in sorted(state.blocks.items()):
        if result["same_course_version"] and index < len(stateful):
            block = stateful[index]
            try:
                blocks[block.key] = {"type": block.type, "raw": value,
                                     "decoded": block.decode_state(value)}
            except PluginFailure as exc:  # a plugin's reader on a state it never wrote
                cause = exc.__cause__ or exc
                blocks[block.key] = {"type": block.type, "raw": value,
                                     "error": f"{type(cause).__name__}: {cause}"}
        else:
            blocks[str(index)] = {"raw": value}
    result["blocks"] = blocks
    return result
