"""JavaScript and CSS made smaller when they are packaged; the sources stay readable.

rjsmin and rcssmin (well kept, pure Python with an optional C speed-up, no JavaScript build
step) remove comments and spaces without renaming anything, so a stack trace in a learner's
browser still names the runtime's functions. The output depends only on the input, so packages
stay byte-identical from one build to the next. Comments starting ``/*!`` (licences) are kept.
Each file is minified once per process, whatever the number of formats.
"""

from __future__ import annotations

import functools
from pathlib import Path

MINIFIED_SUFFIXES = (".js", ".css")


def minified(source: Path) -> bytes:
    """The file's bytes, minified when it is JavaScript or CSS."""
    stat = source.stat()
    return _minified(source, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _minified(source: Path, mtime_ns: int, size: int) -> bytes:
    data = source.read_bytes()
    suffix = source.suffix.lower()
    if suffix not in MINIFIED_SUFFIXES:
        return data
    text = data.decode("utf-8")
    if suffix == ".js":
        import rjsmin

        text = rjsmin.jsmin(text, keep_bang_comments=True)
    else:
        import rcssmin

        text = rcssmin.cssmin(text, keep_bang_comments=True)
    return text.encode("utf-8")
