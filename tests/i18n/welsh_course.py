"""A small course in English and Welsh for the translation tests: every content type whose words
the tool translates, and a helper that gives every string of the course a Welsh translation."""

from __future__ import annotations

import textwrap
from pathlib import Path

from course_builder.diagnostics import Reporter
from course_builder.i18n import po
from course_builder.i18n.catalog import Entry, refresh
from course_builder.i18n.prepare import read_course_text

COURSE = """\
id: https://example.org/courses/welsh-test
title: Test course
languages: [en-GB, cy]
version: 1.0.0
description: A course for tests.
keywords: [testing]
organisation: Test Trust
modules: [one]
outputs: [scorm12, scorm2004, xapi, cmi5]
support_intro: Stop whenever you need to.
support:
  - name: Samaritans
    contact: "116 123"
    href: "tel:116123"
    description: Free, any time.
accessibility:
  contact: access@example.org
  limitations: [The charts have no sound.]
  reviewed: 2026-11-29
"""

MODULE = """\
title: Module one
description: The first module.
pages:
  - id: intro
    title: Welcome
    blocks:
      - type: text
        id: welcome-text
        title: Before you start
        body: "Hello, **learner**."
      - type: text
        callout: content-note
        body: This page talks about feelings.
      - type: support
        intro: Help is near.
  - id: story
    title: A story
    blocks:
      - type: story
        id: sam-story
        teller: Sam
        role: Trainer
        content_note: Talks about a hard day.
        body: It was a hard day.
        what_helped: [Being listened to]
        what_made_it_worse: [Being rushed]
  - id: choices
    title: Choices
    blocks:
      - type: scenario
        id: triage
        setting: At the desk
        situation: Someone arrives upset.
        choices:
          - id: listen
            text: Listen first
            practice: good
            feedback: That helps.
          - id: rush
            text: Hurry them
            practice: poor
            feedback: That hurts.
        reflection: Think about it.
      - type: accordion
        items:
          - title: More
            body: Extra words.
  - id: check
    title: Check
    blocks:
      - type: quiz
        id: check-quiz
        pass_mark: 50
        questions:
          - id: q1
            kind: single
            prompt: Pick A
            options:
              - text: A
                correct: true
              - text: B
          - id: q2
            kind: true_false
            prompt: The sky is blue.
            answer: true
"""


def write(root: Path, course: str = COURSE, module: str = MODULE) -> Path:
    for relative, text in (("course.yaml", course), ("modules/one/module.yaml", module)):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def welsh(index: int) -> str:
    """A stand-in Welsh translation: Welsh words only, different for every string."""
    return f"Testun Cymraeg rhif {index}"


def translate_everything(root: Path) -> Path:
    """Write translations/cy.po translating every string of the course at ``root``."""
    text = read_course_text(root, Reporter())
    assert text is not None
    catalog = refresh(text.units, None, text.course_id, text.source_lang, "cy")
    for index, context in enumerate(list(catalog.entries)):
        entry = catalog.entries[context]
        catalog.entries[context] = Entry(context, entry.source, welsh(index))
    path = root / "translations" / "cy.po"
    path.parent.mkdir(exist_ok=True)
    po.write(path, catalog, text.by_context, text.title, text.version)
    return path
