"""Stage 5: deterministic zips, written atomically.

Same source, same bytes: entries sorted, one fixed timestamp (``SOURCE_DATE_EPOCH`` when set,
as reproducible-builds.org describes), fixed permissions and compression level. Packages are
written into a staging folder inside the output folder and moved into place only when every
one of them succeeded, so ``build/`` never holds a half-written file.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from course_builder.errors import CourseBuilderError

DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can hold


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    epoch = max(epoch, DEFAULT_EPOCH)
    return time.gmtime(epoch)[:6]


#: zlib's default level: 30% less time than level 9 for zips 0.3-0.5% bigger (measured on the
#: bundled course and 1,000 generated pages, benchmarks/PROFILE.md); fixed, so output is stable.
COMPRESS_LEVEL = 6


def write_zip(files: dict[str, bytes], destination: Path) -> None:
    stamp = zip_timestamp()
    with zipfile.ZipFile(destination, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, files[name], compresslevel=COMPRESS_LEVEL)


STAGING_PREFIX = ".staging-"


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A folder inside ``out_dir`` (``build/.staging-<pid>-<random>``) to write packages into;
    they move into ``out_dir`` only when the whole block succeeds.

    Inside, not beside: a writable ``--out`` under a read-only parent builds, the moves are
    renames on one disk, and a killed build leaves its folder where the next build finds and
    removes it (:func:`remove_stale_staging`). On failure the folder is removed, and so is
    ``out_dir`` if this build created it. An ``OSError`` (a full disk, a read-only or missing
    folder, a name too long) becomes a one-line :class:`CourseBuilderError`: nothing was
    written, and a traceback would not help the author."""
    out_dir = out_dir.absolute()
    created = not out_dir.exists()
    temp: Path | None = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out_dir)
        temp = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
        yield temp
        # file by file, so a variant's folder from an earlier build takes the new files
        for item in sorted(path for path in temp.rglob("*") if not path.is_dir()):
            destination = out_dir / item.relative_to(temp)
            destination.parent.mkdir(exist_ok=True)
            os.replace(item, destination)
    except OSError as exc:
        _clean_up(temp, out_dir if created else None)
        raise CourseBuilderError(_write_failure(exc, out_dir)) from exc
    except BaseException:
        _clean_up(temp, out_dir if created else None)
        raise
    _clean_up(temp, None)


def _clean_up(temp: Path | None, created_out_dir: Path | None) -> None:
    if temp is not None:
        shutil.rmtree(temp, ignore_errors=True)
    if created_out_dir is not None:
        try:
            created_out_dir.rmdir()  # only when empty: never anything the author put there
        except OSError:
            pass


def _write_failure(exc: OSError, out_dir: Path) -> str:
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EROFS: "the disk is read-only",
               errno.EACCES: "you are not allowed to write there",
               errno.EPERM: "you are not allowed to write there",
               errno.ENAMETOOLONG: "a file name is too long for this disk (shorten the last "
                                   "part of the course id, or the version)",
               errno.EEXIST: "a file of that name is in the way",
               errno.ENOTDIR: "a file of that name is in the way"}
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    name = Path(os.fsdecode(exc.filename)) if exc.filename else None
    if name is not None and not name.absolute().is_relative_to(out_dir):
        # a file read while packaging (an image removed since the course was checked)
        return f"cannot read {name}: {exc.strerror or exc}. Nothing was written."
    where = f" ({name})" if name else ""
    return f"cannot write the packages into {out_dir}: {reason}{where}. Nothing was written."


def remove_stale_staging(out_dir: Path) -> None:
    """Remove staging folders left in ``out_dir`` by builds that were killed: those of a
    process no longer running (POSIX), or older than a day (elsewhere, or if unsure)."""
    for folder in out_dir.glob(f"{STAGING_PREFIX}*"):
        if folder.is_dir() and _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _is_stale(folder: Path) -> bool:
    pid_text = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
    if os.name == "posix" and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return False  # this process: a build running beside this one (tests, preview)
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return True
        except OSError:
            pass  # it exists but belongs to someone else
    # A running process of that number may be a build beside this one (builds take seconds)
    # or a new process that reused the number: a day old is stale either way.
    try:
        return time.time() - folder.stat().st_mtime > 24 * 3600
    except OSError:
        return False
