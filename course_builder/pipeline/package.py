"""Stage 5: deterministic zips, written atomically.

Same source, same bytes: entries sorted, one fixed timestamp (``SOURCE_DATE_EPOCH`` when set,
as reproducible-builds.org describes), fixed permissions and compression level. Packages are
written into a temporary folder beside the output folder and moved into place only when every
one of them succeeded, so ``build/`` never holds a half-written file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip can hold


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    epoch = max(epoch, DEFAULT_EPOCH)
    return time.gmtime(epoch)[:6]


def write_zip(files: dict[str, bytes], destination: Path) -> None:
    stamp = zip_timestamp()
    with zipfile.ZipFile(destination, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, files[name], compresslevel=9)


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A temporary folder on the same disk as ``out_dir``; its files move in only on success."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-staging-", dir=out_dir.parent))
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    out_dir.mkdir(exist_ok=True)
    for item in sorted(temp.iterdir()):
        os.replace(item, out_dir / item.name)
    shutil.rmtree(temp, ignore_errors=True)
