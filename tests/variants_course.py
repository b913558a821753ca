"""A small course with two variants, for the variant tests (docs/variants.md).

Every override leaves a marker that appears nowhere else, so a test can scan every file of every
package for it: ``NORTH-LINE`` (north's extra support contact), ``SOUTH-ONLY-LINE`` (south's
replacement list), the figures of each statistics file (``111``, ``222`` and ``333`` as values
no other file holds), ``SOUTH-MODULE-TEXT`` (south's replacement module) and ``SOUTH-EXTRA-TEXT``
(the module south adds). ``SHARED-WELCOME-TEXT`` and ``SHARED-LINE`` are in every variant.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

TODAY = "2026-11-30"  # COURSE_BUILDER_TODAY for these tests: the figures are recent

COURSE_YAML = """\
id: https://example.org/courses/varied
title: Varied course
version: 2.0.0
organisation: Course Charity
modules: [welcome, local, feedback]
completion:
  require: [course-feedback]
passing:
  pass_mark: 50
outputs: [scorm12, scorm2004, xapi, cmi5, handout]
support:
  - name: Shared helpline
    contact: SHARED-LINE
evaluation:
  collector:
    endpoint: https://collector.example/xAPI/
    username: course-evaluations
    write_only_key: shared-write-only-key
    write_only: true
variants:
  - id: north
    name: North Trust
    logo: branding/north.svg
    support:
      before:
        - name: North crisis team
          contact: NORTH-LINE
    statistics:
      ae-figures:
        data: data/north.csv
        source: North figures
    evaluation:
      owner: North Trust
      collector:
        endpoint: https://north-collector.example/xAPI/
        username: north-evaluations
        write_only_key: north-write-only-key
        write_only: true
  - id: south
    name: South Trust
    support:
      replace:
        - name: South safe haven
          contact: SOUTH-ONLY-LINE
    modules:
      - replace: local
        with: local-south
      - add: south-extra
        after: welcome
"""

WELCOME = """\
title: Welcome
pages:
  - id: start
    title: Start here
    blocks:
      - type: text
        body: SHARED-WELCOME-TEXT
      - type: quiz
        id: welcome-quiz
        questions:
          - id: q1
            kind: true_false
            prompt: Support is one click away.
            answer: true
"""


def _local(title: str, data: str, marker: str) -> str:
    return f"""\
title: {title}
pages:
  - id: figures
    title: Local figures
    blocks:
      - type: text
        body: {marker}
      - type: statistics
        id: ae-figures
        title: Attendances by month
        data: {data}
        unit: attendances
        source: Course figures
        as_of: 2026-09-30
        illustrative: true
"""


FEEDBACK = """\
title: Feedback
pages:
  - id: form
    title: Tell us what you thought
    blocks:
      - type: evaluation
        id: course-feedback
        required: true
        items:
          - id: useful
            kind: likert
            prompt: The course was useful.
"""

SOUTH_EXTRA = """\
title: South extras
pages:
  - id: services
    title: Services in the south
    blocks:
      - type: text
        body: SOUTH-EXTRA-TEXT
"""

LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">
  <rect width="40" height="20" fill="#005eb8"/>
</svg>
"""


def csv(value: int) -> str:
    return "period,value\n" + "".join(f"2026-{m:02d},{value}\n" for m in range(1, 10))


FILES = {
    "course.yaml": COURSE_YAML,
    "modules/welcome/module.yaml": WELCOME,
    "modules/local/module.yaml": _local("Local picture", "data/base.csv", "BASE-LOCAL-TEXT"),
    "modules/local/data/base.csv": csv(111),
    "modules/local/data/north.csv": csv(222),
    "modules/local-south/module.yaml": _local("Local picture in the south", "data/south.csv",
                                              "SOUTH-MODULE-TEXT"),
    "modules/local-south/data/south.csv": csv(333),
    "modules/south-extra/module.yaml": SOUTH_EXTRA,
    "modules/feedback/module.yaml": FEEDBACK,
    "branding/north.svg": LOGO,
}


def write_variants_course(root: Path, changes: dict[str, str] | None = None,
                          replace: dict[str, tuple[str, str]] | None = None) -> Path:
    """Write the course into ``root``. ``changes`` replaces whole files; ``replace`` maps a
    file to ``(old, new)`` text to swap in it (the old text must be there)."""
    files = dict(FILES, **(changes or {}))
    for name, (old, new) in (replace or {}).items():
        assert old in files[name], (name, old)
        files[name] = files[name].replace(old, new)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root
