"""No credential ever goes into a package: every file of a package can be read by a learner.

LRS addresses and keys reach xAPI and cmi5 packages only through the launch URL, and SCORM
packages need none at all, so a value that looks like a credential anywhere in a course's YAML
(every field of ``course.yaml`` and of every ``module.yaml``: titles and descriptions as much as
blocks) or in a text file the course copies (see :mod:`course_builder.assets`) is
refused with a located error, whatever the format being built. Matching ignores case.

What looks like a credential:

- a URL with a user name and password (``https://key:secret@lrs.example.org/xapi/``);
- an HTTP ``Basic`` value whose token decodes to ``name:password`` (so "basic introduction"
  is prose, not a credential), also URL-encoded (``auth=Basic%20...`` in a launch link);
- a ``Bearer`` token of 16 or more token characters with a digit in it, or a JWT (``eyJ...``);
- ``password=``, ``api_key:``, ``client_secret=`` and the like followed by a value.

A field that must hold a key by design (a write-only collector key that a course sends
answers with) is exempted by its path with ``exempt``, and nowhere else.

That field is ``evaluation.collector.write_only_key`` in course.yaml: the key of an account on
the course owner's evaluation collector that may only WRITE statements (it cannot read anyone's
data, see docs/evaluation-collector.md). :func:`collector_key_exemption` exempts it only when the
author declares so with ``write_only: true`` beside it, and reports it otherwise. A field named
``write_only_key`` anywhere else counts as a credential by its name alone.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from course_builder.diagnostics import Reporter, SourceLocation, field_path
from course_builder.yamlsource import locate

if TYPE_CHECKING:
    from course_builder.config import CourseConfig
    from course_builder.model import RawCourse

KeyPath = tuple[str | int, ...]

URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_SPACE = r"(?:\s+|%20|\+)"
BASIC = re.compile(rf"(?<![a-z0-9])basic{_SPACE}([a-z0-9+/]{{8,}}={{0,2}})", re.IGNORECASE)
BEARER = re.compile(rf"(?<![a-z0-9])bearer{_SPACE}([a-z0-9._~+/-]{{16,}}=*)", re.IGNORECASE)
ASSIGNED = re.compile(r"(?<![a-z0-9])(password|passwd|pwd|api[_-]?key|secret[_-]?key|"
                      r"client[_-]?secret|access[_-]?token|auth[_-]?token)[\"']?\s*[:=]\s*"
                      r"[\"']?[^\s\"'<>,;]{6,}", re.IGNORECASE)

HINT = "remove it: the LMS passes the LRS address and credentials in the launch URL"
# The one place a key may be published, and the field name that marks a key wherever it appears.
KEY_FIELD = "write_only_key"
COLLECTOR_KEY_PATH: KeyPath = ("evaluation", "collector", KEY_FIELD)
WRITE_ONLY_HINT = ("create an account on the collector that may only write statements (see "
                   "docs/evaluation-collector.md), check that it cannot read, then add "
                   "`write_only: true` under evaluation.collector")


def _basic_token(token: str) -> bool:
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        text = decoded.decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return ":" in text and text.isprintable()


def looks_like_credential(text: str) -> bool:
    """Whether ``text`` holds something that looks like a credential (see the module doc)."""
    if URL_CREDENTIALS.search(text) or ASSIGNED.search(text):
        return True
    if any(_basic_token(m.group(1)) for m in BASIC.finditer(text)):
        return True
    return any(re.search(r"\d", m.group(1)) or m.group(1).startswith("eyJ")
               for m in BEARER.finditer(text))


def credential_paths(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Key paths inside ``value`` whose text (or key) looks like a credential."""
    found: list[KeyPath] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key) == KEY_FIELD:
                found.append((*path, str(key)))  # a key by its name, whatever its value
                continue
            if looks_like_credential(str(key)):
                found.append((*path, str(key)))
            found += credential_paths(item, (*path, str(key)))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found += credential_paths(item, (*path, i))
    elif isinstance(value, str) and looks_like_credential(value):
        found.append(path)
    return found


def credential_lines(text: str) -> list[int]:
    """1-based numbers of the lines of ``text`` that look like credentials."""
    if not looks_like_credential(text):  # one pass over the whole text first: the usual case
        return []
    return [n for n, line in enumerate(text.splitlines(), 1) if looks_like_credential(line)] \
        or [1]  # only across lines (a token wrapped after "Bearer"): name the start


def collector_key_exemption(raw: RawCourse, config: CourseConfig,
                            reporter: Reporter) -> Collection[KeyPath]:
    """The exempt paths for :func:`check_no_credentials`: the collector's key, and each
    variant's own collector's key (``variants[i].evaluation.collector``), when course.yaml
    declares it write-only (``write_only: true``). Undeclared, it is reported here (and exempt
    from the generic message, so that it is reported once)."""
    collectors = [(COLLECTOR_KEY_PATH, config.evaluation.collector)]
    collectors += [(("variants", index, *COLLECTOR_KEY_PATH), variant.evaluation.collector)
                   for index, variant in enumerate(config.variants)
                   if variant.evaluation is not None]
    exempt: list[KeyPath] = []
    for path, collector in collectors:
        if collector is None:
            continue
        if not collector.write_only:
            reporter.error(f"course.yaml: {field_path(path)} is published in every package, so "
                           "it is accepted only from an account that can do nothing but write "
                           "statements, declared with `write_only: true`",
                           locate(raw.config, path, SourceLocation(raw.config_path)),
                           hint=WRITE_ONLY_HINT)
        exempt.append(path)
    return exempt


def variant_key_paths(raw: RawCourse) -> list[KeyPath]:
    """Where each variant of course.yaml would hold its own collector's key: exempt when the
    ``variants`` section has errors of its own (they are reported; the key is their business)."""
    variants = raw.config.get("variants")
    count = len(variants) if isinstance(variants, list) else 0
    return [("variants", index, *COLLECTOR_KEY_PATH) for index in range(count)]


def check_no_credentials(raw: RawCourse, reporter: Reporter,
                         exempt: Collection[KeyPath] = ()) -> None:
    """Report every credential-like value in course.yaml and in every module.yaml.

    ``exempt``: paths in ``course.yaml`` that hold a key by design (see the module doc)."""
    config_path = raw.config_path
    for where in credential_paths(raw.config):
        if where in exempt:
            continue
        reporter.error(f"course.yaml: {field_path(where)} looks like LRS credentials; packages "
                       "must never hold an LRS key or secret",
                       locate(raw.config, where, SourceLocation(config_path)), hint=HINT)
    for module in raw.all_modules:  # the variants' own modules too
        if module.data is None:
            continue
        path = module.directory / "module.yaml"
        for where in credential_paths(module.data):
            reporter.error(f"{field_path(where)} looks like LRS credentials; packages must "
                           "never hold an LRS key or secret",
                           locate(module.data, where, SourceLocation(path)), hint=HINT)
