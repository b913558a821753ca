"""What a package ships, seen through its bundles.

A package loads the runtime, its format's adapter, the theme and the built-in plugins' files
as one script (``assets/course.js``) and one stylesheet (``assets/course.css``), each part
after a comment naming the path it would have on its own (course_builder/pipeline/render.py,
``bundle``). These helpers give the parts back by that path, beside the zip's real files.
"""

from __future__ import annotations

import re
import zipfile

from course_builder.pipeline.render import BUNDLE_CSS, BUNDLE_JS

_PART = re.compile(rb"^/\* (assets/[^ ]+) \*/\n", re.M)


def parts(data: bytes) -> dict[str, str]:
    """A bundle's parts: path -> minified text (without the ``;`` joining scripts)."""
    found = list(_PART.finditer(data))
    out = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(data)
        text = data[match.end():end].decode("utf-8").rstrip("\n")
        out[match.group(1).decode()] = text[:-1] if text.endswith(";") and following else text
    return out


def shipped(archive: zipfile.ZipFile) -> dict[str, str]:
    """Every script and stylesheet the package runs, by its own path: the bundles' parts and
    the files of their own (plugins from elsewhere, boot.js after them)."""
    names = archive.namelist()
    out: dict[str, str] = {}
    for bundle in (BUNDLE_JS, BUNDLE_CSS):
        if bundle in names:
            out.update(parts(archive.read(bundle)))
    for name in names:
        if name.endswith((".js", ".css")) and name not in (BUNDLE_JS, BUNDLE_CSS):
            out[name] = archive.read(name).decode("utf-8")
    return out
