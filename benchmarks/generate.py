"""Synthetic courses for the benchmark: deterministic (seeded), every built-in content type.

``generate_course(root, pages)`` writes a course of ``pages`` pages in modules of ten. The first
module holds every content type (text with Markdown and a PNG image, accordion, media with an
SVG image, story with a photo, scenario with follow-up steps, myth_fact, a quiz drawn from a
bank holding every question kind, nice_guidance, statistics with a chart read from a CSV file,
support) and the last page holds the anonymous evaluation, so even the 10-page course uses every
type. Later modules keep the same content pages and alternate their tracked activities (a story
and a quiz, then a scenario and a myth/fact check), so that 1,000 pages still fit SCORM 1.2's
4,096 characters of suspend_data and build in every format.

``generate_quiz_course(root, questions)`` writes one module whose quiz has ``questions``
questions of every kind, drawn 30 at a time (a question bank), for the issue's "900-question
quiz" figure.

Same arguments, same bytes: all variation comes from ``random.Random(seed)``.
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path
from typing import Any

import yaml

PAGES_PER_MODULE = 10
DEFAULT_SEED = 20261130
#: Figures in the statistics CSVs and dates on NICE cards are this recent (the benchmark sets
#: COURSE_BUILDER_TODAY to it, so the staleness checks say the same thing in every year).
REFERENCE_DAY = "2026-11-30"

CONTENT_TYPES = ("text", "accordion", "media", "story", "scenario", "myth_fact", "quiz",
                 "nice_guidance", "statistics", "evaluation", "support")

_WORDS = (
    "listen ask support team plan care person time service answer help calm respect choice "
    "explain next step record shared decision kind clear honest place quiet staff practice "
    "conversation feeling safety follow-up appointment nurse doctor teacher officer family "
    "friend community question trust notes review learning week month morning evening visit "
    "agree offer check understand welcome privacy dignity name voice story experience"
).split()
_SENTENCE_ENDS = (".", ".", ".", "?")


# --------------------------------------------------------------------------- text


class _Text:
    """Plain, lint-clean English-like text from a seeded generator."""

    def __init__(self, rand: random.Random) -> None:
        self.rand = rand

    def words(self, count: int) -> str:
        return " ".join(self.rand.choice(_WORDS) for _ in range(count))

    def sentence(self, low: int = 6, high: int = 14) -> str:
        text = self.words(self.rand.randint(low, high))
        return text[0].upper() + text[1:] + self.rand.choice(_SENTENCE_ENDS)

    def title(self) -> str:
        text = self.words(self.rand.randint(2, 5))
        return text[0].upper() + text[1:]

    def paragraph(self, sentences: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def markdown(self, image: str | None = None) -> str:
        """A few paragraphs with bold, emphasis, a link, a list and (optionally) an image."""
        parts = [
            f"{self.paragraph()} **{self.words(3)}** and *{self.words(2)}* matter; see "
            f"[{self.words(2)}](https://www.nhs.uk/mental-health/).",
            "\n".join(f"- {self.sentence(3, 8)}" for _ in range(3)),
            self.paragraph(3),
        ]
        if image:
            parts.insert(2, f"![{self.sentence(4, 8)}]({image})")
        return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- images


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A small solid-colour RGB PNG, written with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def svg(label: str, colour: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 120" width="240" '
            f'height="120"><rect width="240" height="120" rx="12" fill="{colour}"/>'
            f'<text x="120" y="66" font-size="18" text-anchor="middle" fill="#fff">{label}</text>'
            f'</svg>\n').encode()


# --------------------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, as authors write them."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96)


# --------------------------------------------------------------------------- blocks


class _Blocks:
    """One generator per course: every block kind, with ids unique in the whole course."""

    def __init__(self, rand: random.Random) -> None:
        self.rand = rand
        self.t = _Text(rand)

    def text(self, image: str | None = None, callout: str | None = None) -> dict[str, Any]:
        block: dict[str, Any] = {"type": "text", "title": self.t.title(),
                                 "body": self.t.markdown(image)}
        if callout:
            block["callout"] = callout
        return block

    def accordion(self) -> dict[str, Any]:
        return {"type": "accordion",
                "items": [{"title": self.t.title(), "body": self.t.markdown()}
                          for _ in range(3)]}

    def media(self, src: str) -> dict[str, Any]:
        return {"type": "media", "kind": "image", "src": src, "alt": self.t.sentence(5, 10),
                "caption": f"{self.t.sentence(4, 8)} **{self.t.words(2)}**."}

    def support(self) -> dict[str, Any]:
        return {"type": "support", "intro": self.t.paragraph(2) + "\n"}

    def story(self, key: str, photo: str) -> dict[str, Any]:
        return {
            "type": "story", "id": key, "teller": f"{self.t.title()} (pseudonym)",
            "role": "Lived experience trainer",
            "photo": {"src": photo, "alt": "An illustrated outline of a person."},
            "content_note": "Talks about feeling listened to by staff. No detail of methods.",
            "quote": self.t.sentence(),
            "body": self.t.markdown(),
            "what_helped": [self.t.sentence(4, 9) for _ in range(2)],
            "what_made_it_worse": [self.t.sentence(4, 9)],
        }

    def scenario(self, key: str) -> dict[str, Any]:
        def choice(cid: str, practice: str, follow: str | None) -> dict[str, Any]:
            c = {"id": cid, "text": self.t.sentence(), "practice": practice,
                 "feedback": self.t.paragraph(2) + "\n"}
            if follow:
                c["next"] = follow
            return c

        return {
            "type": "scenario", "id": key, "setting": self.t.title(),
            "situation": self.t.paragraph(3) + "\n", "question": "What do you say?",
            "scored": True,
            "choices": [choice("a", "good", "talking"), choice("b", "poor", None),
                        choice("c", "mixed", "talking")],
            "steps": [
                {"id": "talking", "situation": self.t.paragraph(2) + "\n",
                 "question": "How do you respond?",
                 "choices": [choice("a", "good", "plan"), choice("b", "poor", None)]},
                {"id": "plan", "situation": self.t.paragraph(2) + "\n",
                 "choices": [choice("a", "good", None), choice("b", "mixed", None)]},
            ],
            "reflection": self.t.paragraph(2) + "\n",
        }

    def myth_fact(self, key: str) -> dict[str, Any]:
        return {"type": "myth_fact", "id": key, "scored": True,
                "statements": [{"id": f"s{n}", "statement": self.t.sentence(),
                                "answer": self.rand.choice(("myth", "fact")),
                                "explanation": self.t.paragraph(2) + "\n"}
                               for n in range(3)]}

    def question(self, qid: str, kind: str, outcome: str | None = None) -> dict[str, Any]:
        q: dict[str, Any] = {"id": qid, "kind": kind, "prompt": self.t.sentence()}
        if outcome:
            q["outcome"] = outcome
        if kind in ("single", "multiple"):
            right = {0} if kind == "single" else {0, 2}
            q["options"] = [dict({"text": self.t.sentence(3, 8)},
                                 **({"correct": True} if n in right else {}),
                                 feedback=self.t.sentence(4, 9))
                            for n in range(4)]
        elif kind == "true_false":
            q["answer"] = self.rand.random() < 0.5
            q["feedback"] = {"correct": self.t.sentence(), "incorrect": self.t.sentence()}
        elif kind == "matching":
            q["pairs"] = [{"prompt": self.t.sentence(3, 6), "match": f"{self.t.title()} {n}"}
                          for n in range(3)]
        elif kind == "ordering":
            q["items"] = [f"{n + 1}. {self.t.sentence(3, 6)}" for n in range(4)]
        elif kind == "numeric":
            q["value"] = self.rand.randint(1, 60)
            q["tolerance"] = 1
        return q

    def quiz(self, key: str, kinds: list[str], draw: int) -> dict[str, Any]:
        return {"type": "quiz", "id": key, "title": self.t.title(),
                "intro": self.t.paragraph(2) + "\n", "scored": True, "pass_mark": 80,
                "attempts": 3, "draw": draw, "shuffle": True,
                "questions": [self.question(f"{key}-q{n}", kind)
                              for n, kind in enumerate(kinds)]}

    def nice_guidance(self, key: str) -> dict[str, Any]:
        return {"type": "nice_guidance", "id": key, "product": "NG225",
                "recommendations": ["1.5.1"], "title": self.t.title(),
                "summary": self.t.markdown(), "url": "https://www.nice.org.uk/guidance/ng225",
                "checked": "2026-11-01"}

    def statistics(self, key: str, data: str, chart: str) -> dict[str, Any]:
        return {"type": "statistics", "id": key, "title": self.t.title(), "data": data,
                "chart": chart, "unit": "attendances",
                "source": "Illustrative figures generated for the benchmark",
                "as_of": "2026-09-30", "illustrative": True, "note": self.t.paragraph(2) + "\n"}

    def evaluation(self, key: str) -> dict[str, Any]:
        return {"type": "evaluation", "id": key, "anonymous": True, "required": True,
                "intro": self.t.paragraph(2) + "\n",
                "items": [{"id": "confidence", "kind": "likert", "prompt": self.t.sentence()},
                          {"id": "overall", "kind": "rating", "prompt": self.t.sentence(),
                           "max": 5},
                          {"id": "recommend", "kind": "recommend"},
                          {"id": "most-useful", "kind": "text", "prompt": "What was most useful?"}]}


# Every question kind; the bank draws 3, so the largest draw stays small in suspend_data.
_BANK_KINDS = ["single", "multiple", "true_false", "matching", "ordering", "numeric",
               "single", "true_false"]
_QUIZ_DRAW = 3
EVALUATION_ID = "course-evaluation"


def _module_assets(directory: Path, rand: random.Random, index: int) -> None:
    images = directory / "images"
    images.mkdir(parents=True)
    colour = (rand.randrange(256), rand.randrange(256), rand.randrange(256))
    (images / "photo.png").write_bytes(png(48, 32, colour))
    (images / "diagram.svg").write_bytes(svg(f"Step {index + 1}", "#005eb8"))
    (images / "teller.svg").write_bytes(svg("Teller", "#330072"))
    data = directory / "data"
    data.mkdir()
    months = [f"2025-{m:02d}" for m in range(10, 13)] + [f"2026-{m:02d}" for m in range(1, 10)]
    rows = ["period,value"] + [f"{m},{rand.randint(12, 60)}" for m in months]
    (data / "monthly.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _page(blocks: _Blocks, module: int, slot: int, last: bool) -> tuple[str, list[dict[str, Any]]]:
    """The blocks of page ``slot`` (0-9) of module ``module``: kind by slot, see module doc."""
    key = f"m{module}-p{slot}"
    first = module == 0
    kinds: list[dict[str, Any]]
    if slot == 0:
        kinds = [blocks.text(image="images/photo.png"), blocks.support()]
    elif slot == 1:
        kinds = [blocks.accordion(), blocks.media("images/diagram.svg")]
    elif slot == 2:
        kinds = ([blocks.story(f"{key}-story", "images/teller.svg")] if first or module % 2
                 else [blocks.scenario(f"{key}-scenario")])
    elif slot == 3:
        kinds = ([blocks.scenario(f"{key}-scenario")] if first
                 else [blocks.text(callout="note"), blocks.accordion()])
    elif slot == 4:
        kinds = ([blocks.myth_fact(f"{key}-myths")] if first or module % 2 == 0
                 else [blocks.text(callout="content-note"), blocks.text()])
    elif slot == 5:
        kinds = ([blocks.quiz(f"{key}-quiz", _BANK_KINDS, _QUIZ_DRAW)] if first or module % 2
                 else [blocks.media("images/diagram.svg"), blocks.text()])
    elif slot == 6:
        kinds = [blocks.nice_guidance(f"{key}-nice"), blocks.text(callout="important")]
    elif slot == 7:
        kinds = [blocks.statistics(f"{key}-stats", "data/monthly.csv",
                                   "bar" if module % 2 == 0 else "line")]
    elif slot == 8:
        kinds = [blocks.text(image="images/photo.png"), blocks.text(callout="support")]
    else:
        kinds = [blocks.text()]
    if last:
        kinds.append(blocks.evaluation(EVALUATION_ID))
    return key, kinds


def _course_yaml(title: str, modules: list[str], require: list[str]) -> str:
    data = {
        "id": f"https://courses.example.org/benchmark/{title.lower().replace(' ', '-')}",
        "title": title, "language": "en-GB", "version": "1.0.0",
        "description": "A generated course for course_builder's benchmark.",
        "keywords": ["benchmark"], "duration": "PT1H", "organisation": "Benchmark",
        "modules": modules,
        "completion": {"pages": "all", **({"require": require} if require else {})},
        "passing": {"pass_mark": 80},
        "outputs": ["scorm12", "scorm2004", "xapi", "cmi5"],
        # Like the bundled course: the anonymous evaluation's answers go to the owner's collector
        # (never contacted by the benchmark: it submits no form).
        "evaluation": {"collector": {"endpoint": "https://evaluations.example.org/xAPI/",
                                     "username": "course-evaluations",
                                     "write_only_key": "benchmark-write-only-key",
                                     "write_only": True},
                       "privacy_url": "https://courses.example.org/privacy"},
        "support_intro": "You can stop at any time: your progress is saved.",
        "support": [
            {"name": "Samaritans", "contact": "116 123", "href": "tel:116123",
             "description": "Free to call, any time, day or night."},
            {"name": "Shout", "contact": "Text SHOUT to 85258", "href": "sms:85258",
             "description": "Free, confidential text support, any time."},
            {"name": "NHS 111", "contact": "111", "href": "tel:111",
             "description": "Urgent mental health help in England."},
            {"name": "Emergency services", "contact": "999", "href": "tel:999",
             "description": "If someone is in immediate danger."},
        ],
    }
    return _dump(data)


def generate_course(root: Path, pages: int, seed: int = DEFAULT_SEED) -> Path:
    """Write a course of ``pages`` pages into ``root`` (created; must not exist); return it."""
    if pages < 1:
        raise ValueError("a course needs at least one page")
    rand = random.Random(seed)
    blocks = _Blocks(rand)
    root.mkdir(parents=True)
    slugs = []
    module_count = -(-pages // PAGES_PER_MODULE)
    for module in range(module_count):
        slug = f"module-{module:03d}"
        slugs.append(slug)
        directory = root / "modules" / slug
        _module_assets(directory, rand, module)
        page_list = []
        first_page = module * PAGES_PER_MODULE
        for slot in range(min(PAGES_PER_MODULE, pages - first_page)):
            last = first_page + slot == pages - 1
            key, content = _page(blocks, module, slot, last)
            page_list.append({"id": key, "title": blocks.t.title(), "blocks": content})
        module_yaml = {"title": f"Module {module + 1}: {blocks.t.title()}",
                       "description": blocks.t.sentence(), "pages": page_list}
        (directory / "module.yaml").write_text(_dump(module_yaml), encoding="utf-8")
    (root / "course.yaml").write_text(
        _course_yaml(f"Benchmark {pages} pages", slugs, [EVALUATION_ID]), encoding="utf-8")
    return root


_QUIZ_KINDS = ["single", "multiple", "true_false", "matching", "ordering", "numeric"]
BANK_DRAW = 30


def generate_quiz_course(root: Path, questions: int = 900, seed: int = DEFAULT_SEED) -> Path:
    """One module: an intro page, one quiz of ``questions`` questions (every kind, a bank
    drawn ``BANK_DRAW`` at a time) and a closing page."""
    rand = random.Random(seed)
    blocks = _Blocks(rand)
    root.mkdir(parents=True)
    directory = root / "modules" / "quiz"
    directory.mkdir(parents=True)
    kinds = [_QUIZ_KINDS[n % len(_QUIZ_KINDS)] for n in range(questions)]
    quiz = blocks.quiz("big-quiz", kinds, min(BANK_DRAW, questions))
    module_yaml = {"title": "A large question bank", "pages": [
        {"id": "intro", "title": "Before you start", "blocks": [blocks.text()]},
        {"id": "quiz", "title": "Knowledge check", "blocks": [quiz]},
        {"id": "end", "title": "Well done", "blocks": [blocks.text()]},
    ]}
    (directory / "module.yaml").write_text(_dump(module_yaml), encoding="utf-8")
    (root / "course.yaml").write_text(
        _course_yaml(f"Benchmark quiz of {questions}", ["quiz"], []), encoding="utf-8")
    return root
