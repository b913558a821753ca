"""What a package zip holds: size, files, JavaScript and CSS shipped; and the zip floor."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Entries:
    """A zip's entries as written: infos and bytes, and the deflate level that matches them."""

    infos: list[zipfile.ZipInfo]
    data: list[bytes]
    level: int | None


def _deflate_level(info: zipfile.ZipInfo, data: bytes) -> int | None:
    """Which zlib level gives this entry's compressed size (the zip does not record it)."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    for level in (9, 6, 1, 2, 3, 4, 5, 7, 8):
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        if len(packer.compress(data) + packer.flush()) == info.compress_size:
            return level
    return 6


def read_entries(path: Path) -> Entries:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        data = [archive.read(info) for info in infos]
    largest = max(range(len(infos)), key=lambda i: len(data[i]), default=None)
    level = _deflate_level(infos[largest], data[largest]) if largest is not None else None
    return Entries(infos, data, level)


def write_like(entries: Entries, target: Path) -> None:
    """Write ``entries`` to a new zip with the same names, dates, method and level."""
    with zipfile.ZipFile(target, "w") as archive:
        for info, data in zip(entries.infos, entries.data, strict=True):
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            archive.writestr(copy, data, compresslevel=entries.level)


def target_of(path: Path) -> str:
    """The format of a zip named ``<course>-<version>-<format>.zip``."""
    from course_builder.targets import TARGETS

    stem = path.stem
    for name in sorted(TARGETS, key=len, reverse=True):
        if stem.endswith("-" + name):
            return name
    return stem


def stats(path: Path) -> dict[str, Any]:
    """Size, file count, and bytes of JavaScript and CSS (uncompressed, as the browser gets
    them) in one package; also the launch page and the largest file."""
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
    js = sum(i.file_size for i in infos if i.filename.endswith(".js"))
    css = sum(i.file_size for i in infos if i.filename.endswith(".css"))
    largest = max(infos, key=lambda i: i.file_size)
    html = sum(i.file_size for i in infos if i.filename.endswith(".html"))
    return {
        "format": target_of(path), "zip_bytes": path.stat().st_size, "files": len(infos),
        "js_bytes": js, "css_bytes": css, "js_css_bytes": js + css, "html_bytes": html,
        "largest_file": largest.filename, "largest_bytes": largest.file_size,
        "js_files": sorted((i.filename, i.file_size) for i in infos
                           if i.filename.endswith((".js", ".css"))),
    }
