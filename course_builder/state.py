"""The saved-state format (version 1), mirrored from ``runtime/core/state.js``.

Used for two things: proving at build time that a course's state fits the target's suspend_data
limit, and ``course-builder decode-state`` for support staff. See docs/saved-state.md.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from course_builder.model import Block, Course

VERSION = "1"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def base36_len(value: int) -> int:
    digits = 1
    while value >= 36:
        value //= 36
        digits += 1
    return digits


def stateful_blocks(course: Course) -> list[Block]:
    """Blocks with saved state, in course order; their position is their key in the state."""
    return [b for b in course.blocks if b.plugin.max_state_chars(b) > 0]


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
        shares.append((block, base36_len(index) + 1 + block.plugin.max_state_chars(block)))
    separators = max(len(blocks) - 1, 0)
    return header + sum(share for _, share in shares) + separators, shares


def decode(text: str, course: Course | None = None) -> dict[str, Any]:
    """Readable JSON for a suspend_data string copied from an LMS."""
    parts = text.strip().split("~")
    if len(parts) != 5 or parts[0] != VERSION:
        raise ValueError("this is not course_builder saved state (expected 5 fields separated by "
                         f"'~' starting with version {VERSION})")
    _, fp, bookmark36, seen_text, entries = parts
    seen_bits: list[bool] = []
    for char in seen_text:
        index = _B64.find(char)
        if index < 0:
            raise ValueError(f"pages-seen field has an unexpected character {char!r}")
        seen_bits.extend(bool(index >> bit & 1) for bit in range(6))
    blocks_raw: dict[int, str] = {}
    for entry in filter(None, entries.split("*")):
        key, _, value = entry.partition("=")
        blocks_raw[int(key, 36)] = value
    bookmark = int(bookmark36, 36)
    result: dict[str, Any] = {"format_version": int(VERSION), "fingerprint": fp,
                              "bookmark_page": bookmark, "length": len(text.strip())}
    if course is None:
        result["pages_seen"] = [i for i, bit in enumerate(seen_bits) if bit]
        result["blocks"] = {str(k): v for k, v in blocks_raw.items()}
        return result
    pages = course.pages
    result["same_course_version"] = fp == fingerprint(course)
    if bookmark < len(pages):
        result["bookmark_page"] = {"index": bookmark, "id": pages[bookmark].id,
                                   "title": pages[bookmark].title}
    seen = [p.id for i, p in enumerate(pages) if i < len(seen_bits) and seen_bits[i]]
    result["pages_seen"] = {"count": len(seen), "of": len(pages), "ids": seen}
    stateful = stateful_blocks(course)
    blocks: dict[str, Any] = {}
    for index, value in sorted(blocks_raw.items()):
        if result["same_course_version"] and index < len(stateful):
            block = stateful[index]
            try:
                blocks[block.key] = {"type": block.type, "raw": value,
                                     "decoded": block.plugin.decode_state(block, value)}
            except (ValueError, IndexError) as exc:
                blocks[block.key] = {"type": block.type, "raw": value, "error": str(exc)}
        else:
            blocks[str(index)] = {"raw": value}
    result["blocks"] = blocks
    return result
