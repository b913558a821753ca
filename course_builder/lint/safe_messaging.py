"""Safe-messaging lint: warn where author text names methods, describes injuries graphically, or
uses stigmatising or sensational words.

Samaritans' media guidelines for reporting suicide and self-harm ask writers to leave out method
and means detail and graphic description, and to avoid sensational and stigmatising wording such
as "committed suicide" (NICE's QS34 asks for the same respect and dignity in care, which is why
labels such as "attention-seeking" are flagged too). This check reads every string an author
wrote in a block (not ids, types, file names or links) plus module, page and course titles, and
reports each match as a warning at the exact line and column of the matched words, even inside
multi-line ``|`` and ``>`` block scalars. ``--strict`` turns the warnings into a failed build.

The rules are data: ``safe_messaging.yaml`` beside this module, extended per course by a
``safe-messaging.yaml`` beside ``course.yaml`` (more rules, more terms for a built-in rule, and
``allow:`` phrases that never match). One block can silence named rules with
``lint: {ignore: [rule-id], reason: "..."}``, e.g. where a myth is quoted in order to correct it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean, field_path
from course_builder.model import ID_PATTERN, Course, RawCourse
from course_builder.schema_errors import report_validation_error
from course_builder.yamlsource import (
    LocatedDict,
    LocatedList,
    YamlError,
    YamlFile,
    locate,
    read_yaml,
)

#: Keys whose values are identifiers, file names, links or data, never prose shown to learners.
SKIP_KEYS = frozenset({"type", "id", "src", "url", "href", "data", "lint", "file", "path"})
#: Top-level keys of course.yaml that hold prose (the rest is configuration).
COURSE_TEXT_KEYS = ("title", "description", "keywords", "support", "support_intro")
#: Prose inside course.yaml's `release:` (reviewers' names are people's names, never checked).
RELEASE_TEXT_KEYS = ("illustrative",)
COURSE_FILE = "safe-messaging.yaml"
_SEPARATOR = r"[\s\-]+"  # spaces and hyphens are interchangeable inside a phrase
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"})


# -- rule data ------------------------------------------------------------------------------------
class _TermSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phrase: str | None = Field(default=None, min_length=1)
    regex: str | None = Field(default=None, min_length=1)
    hint: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> _TermSpec:
        if (self.phrase is None) == (self.regex is None):
            raise ValueError("give exactly one of `phrase` or `regex`")
        return self


class _RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    message: str | None = Field(default=None, min_length=1)
    hint: str | None = None
    terms: list[str | _TermSpec] = Field(default_factory=list)


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[_RuleSpec] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Term:
    """One word, phrase or pattern of a rule, compiled to match whole words in any case."""

    pattern: re.Pattern[str]
    hint: str | None = None


@dataclass
class Rule:
    """A named kind of problem (``stigmatising-language``) and the terms that show it."""

    id: str
    message: str
    hint: str | None = None
    terms: list[Term] = field(default_factory=list)


@dataclass
class RuleSet:
    """Every rule in force for a course, and the phrases that are always allowed."""

    rules: dict[str, Rule] = field(default_factory=dict)
    allow: list[re.Pattern[str]] = field(default_factory=list)
    _any: re.Pattern[str] | None = None
    _any_built: bool = False

    def any_term(self) -> re.Pattern[str] | None:
        """One pattern matching wherever any term of any rule matches, to skip at once the
        strings (nearly all of them) where no rule can match; None when the terms cannot be
        joined (a course's regex with a back-reference)."""
        if not self._any_built:
            self._any_built = True
            bodies = [_body(term.pattern.pattern) for rule in self.rules.values()
                      for term in rule.terms]
            if bodies and not any(body is None or re.search(r"\\[1-9]|\(\?P=", body)
                                  for body in bodies):
                # one look-behind for all: tried at word starts only, so five times faster
                # than 74 whole-word patterns side by side
                try:
                    self._any = re.compile(
                        _WORD_START + "|".join(f"(?:{b})" for b in bodies) + _WORD_END,
                        re.IGNORECASE)
                except re.error:
                    self._any = None
        return self._any


@dataclass(frozen=True)
class Finding:
    """A match of ``rule`` in a string, from ``start`` to ``end``."""

    rule: Rule
    hint: str | None
    start: int
    end: int


_WORD_START, _WORD_END = r"(?<!\w)(?:", r")(?!\w)"


def _whole_words(body: str) -> re.Pattern[str]:
    return re.compile(_WORD_START + body + _WORD_END, re.IGNORECASE)


def _body(pattern: str) -> str | None:
    """What :func:`_whole_words` wrapped, or None."""
    if pattern.startswith(_WORD_START) and pattern.endswith(_WORD_END):
        return pattern[len(_WORD_START):-len(_WORD_END)]
    return None


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """``"self-harmer"`` -> a pattern also matching ``Self harmer`` and ``self–harmer``."""
    words = [re.escape(w) for w in re.split(_SEPARATOR, phrase.strip()) if w]
    return _whole_words(_SEPARATOR.join(words))


def _apply(spec: _RulesFile, raw: Any, rules: RuleSet, path: Path,
           reporter: Reporter | None) -> None:
    """Add the rules of one parsed file to ``rules``; problems go to ``reporter`` (or raise)."""

    def problem(message: str, parts: tuple[str | int, ...]) -> None:
        where = field_path(parts)
        location = locate(raw, parts, SourceLocation(path, 1, 1))
        if reporter is None:
            raise ValueError(f"{location.display()}: {where}: {message}")
        reporter.error(f"{COURSE_FILE}: {where}: {message}", location)

    for r_index, rule_spec in enumerate(spec.rules):
        rule = rules.rules.get(rule_spec.id)
        if rule is None:
            if rule_spec.message is None:
                problem("is required for a new rule (one that is not built in)",
                        ("rules", r_index, "message"))
                continue
            rule = rules.rules[rule_spec.id] = Rule(rule_spec.id, rule_spec.message)
        else:  # extending a rule that already exists
            rule.message = rule_spec.message or rule.message
        rule.hint = rule_spec.hint or rule.hint
        for t_index, term in enumerate(rule_spec.terms):
            spec_term = _TermSpec(phrase=term) if isinstance(term, str) else term
            if spec_term.regex is not None:
                try:
                    re.compile(spec_term.regex)  # alone, so positions are the author's
                except re.error as exc:
                    problem(f"is not a valid regular expression: {exc}",
                            ("rules", r_index, "terms", t_index, "regex"))
                    continue
                pattern = _whole_words(spec_term.regex)
            else:
                pattern = compile_phrase(spec_term.phrase or "")
            rule.terms.append(Term(pattern, spec_term.hint))
    rules.allow.extend(compile_phrase(phrase) for phrase in spec.allow if phrase.strip())


@functools.cache
def _builtin_spec() -> tuple[_RulesFile, Any, Path]:
    """``safe_messaging.yaml``, read and checked once per process."""
    source = resources.files("course_builder.lint").joinpath("safe_messaging.yaml")
    data = yaml.load(source.read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _RulesFile.model_validate(data), data, Path(str(source))


def builtin_rules() -> RuleSet:
    """The rules shipped with course_builder (``safe_messaging.yaml``). Each call gives a new
    set (a course extends it); Python's own cache keeps the compiled patterns."""
    spec, data, path = _builtin_spec()
    rules = RuleSet()
    _apply(spec, data, rules, path, None)
    return rules


def course_rules(course_root: Path, reporter: Reporter) -> RuleSet:
    """The built-in rules extended by the course's ``safe-messaging.yaml``, if it has one."""
    rules = builtin_rules()
    path = course_root / COURSE_FILE
    if not path.is_file():
        return rules
    try:
        raw, _source = read_yaml(path)
    except YamlError as exc:
        reporter.error(f"{COURSE_FILE}: {exc}", exc.location, exc.hint)
        return rules
    if raw is None:
        return rules
    if not isinstance(raw, LocatedDict):
        reporter.error(f"{COURSE_FILE}: expected a mapping with `rules:` and/or `allow:`",
                       getattr(raw, "location", SourceLocation(path, 1, 1)))
        return rules
    try:
        spec = _RulesFile.model_validate(dict(raw))
    except ValidationError as exc:
        report_validation_error(exc, raw, _RulesFile, SourceLocation(path, 1, 1), reporter,
                                prefix=f"{COURSE_FILE}: ")
        return rules
    _apply(spec, raw, rules, path, reporter)
    return rules


def find(text: str, rules: RuleSet, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Every rule match in ``text``, in order, skipping allowed phrases and ignored rules.

    Within one rule, overlapping matches are reported once (the earliest, then the longest).
    """
    # Unicode hyphens count as "-" (one character each, so positions are unchanged).
    text = text.translate(_HYPHENS)
    prefilter = rules.any_term()
    if prefilter is not None and prefilter.search(text) is None:
        return []
    allowed = [m.span() for pattern in rules.allow for m in pattern.finditer(text)]
    found: list[Finding] = []
    for rule in rules.rules.values():
        if rule.id in ignore:
            continue
        spans: list[tuple[int, int, str | None]] = []
        for term in rule.terms:
            for match in term.pattern.finditer(text):
                start, end = match.span()
                if start == end or any(a <= start and end <= b for a, b in allowed):
                    continue
                spans.append((start, end, term.hint))
        spans.sort(key=lambda s: (s[0], -s[1]))
        last_end = -1
        for start, end, hint in spans:
            if start >= last_end:
                found.append(Finding(rule, hint or rule.hint, start, end))
                last_end = end
    found.sort(key=lambda f: (f.start, f.rule.id))
    return found


# -- walking the course ----------------------------------------------------------------------------
def _strings(value: Any, parts: tuple[str | int, ...],
             location: SourceLocation) -> Iterator[tuple[tuple[str | int, ...], str,
                                                           SourceLocation]]:
    """Every string under ``value`` with its field path and location, skipping ``SKIP_KEYS``."""
    if isinstance(value, str):
        yield parts, value, location
    elif isinstance(value, LocatedDict):
        for key, child in value.items():
            if key not in SKIP_KEYS:
                yield from _strings(child, (*parts, key), value.key_locations[key])
    elif isinstance(value, LocatedList):
        for index, child in enumerate(value):
            yield from _strings(child, (*parts, index), value.item_locations[index])


class _Linter:
    """Checks strings and reports each finding at the exact place of the matched words, using
    the parsed files (``files``) that ``load`` kept; a file not given is read once."""

    def __init__(self, rules: RuleSet, reporter: Reporter,
                 files: dict[Path, YamlFile] | None = None) -> None:
        self.rules = rules
        self.reporter = reporter
        self.files: dict[Path, YamlFile] = dict(files or {})

    def _file(self, path: Path) -> YamlFile | None:
        if path not in self.files:
            try:
                self.files[path] = read_yaml(path)[1]
            except (OSError, UnicodeDecodeError, YamlError):
                return None
        return self.files[path]

    def check(self, label: str, value: Any, parts: tuple[str | int, ...],
              location: SourceLocation, ignore: frozenset[str] = frozenset()) -> None:
        for where, text, text_location in _strings(value, parts, location):
            for finding in find(text, self.rules, ignore):
                shown = " ".join(text[finding.start:finding.end].split())
                source = self._file(text_location.path)
                exact = (source.place(text_location, text, finding.start, finding.end)
                         if source is not None else text_location)
                name = field_path(where)
                self.reporter.warning(
                    f"{label}{name + ': ' if name else ''}'{shown}' is {finding.rule.message} "
                    f"[{finding.rule.id}]", exact, finding.hint)


def block_label(raw_block: LocatedDict, index: int, page_id: str) -> str:
    """The prefix validation uses for a block: ``block 'q3' (quiz): ``."""
    kind = raw_block.get("type")
    block_id = raw_block.get("id")
    if isinstance(block_id, str) and block_id:
        return f"block '{block_id}' ({kind}): "
    return f"block {index + 1} ({kind}) on page '{page_id}': "


def _block_ignores(raw_block: LocatedDict, label: str, linter: _Linter) -> frozenset[str]:
    """The rules a block's ``lint: {ignore: [...]}`` silences; unknown ones are reported."""
    lint = raw_block.get("lint")
    raw_ignore = lint.get("ignore") if isinstance(lint, LocatedDict) else None
    if not isinstance(raw_ignore, LocatedList):
        return frozenset()
    known = linter.rules.rules
    ignored = [rule_id for rule_id in raw_ignore if isinstance(rule_id, str)]
    for index, rule_id in enumerate(raw_ignore):
        if isinstance(rule_id, str) and rule_id not in known:
            linter.reporter.warning(
                f"{label}lint.ignore[{index}]: unknown safe-messaging rule '{rule_id}'",
                raw_ignore.item_locations[index],
                did_you_mean(rule_id, known) or f"the rules are: {', '.join(sorted(known))}")
    return frozenset(ignored)


def lint_course(course: Course | RawCourse, reporter: Reporter) -> None:
    """Report safe-messaging warnings for every author string of a course, in the located
    tree ``load`` built (whatever validation thought of it, so a failing run warns as much as
    a passing one)."""
    raw = course.raw if isinstance(course, Course) else course
    if raw is None:
        return
    rules = course_rules(raw.root, reporter)
    linter = _Linter(rules, reporter, raw.files)

    config = raw.config
    for key in COURSE_TEXT_KEYS:
        if key in config:
            linter.check("course: ", config[key], (key,), config.key_locations[key])
    release = config.get("release")
    if isinstance(release, LocatedDict):
        for key in RELEASE_TEXT_KEYS:
            if key in release:
                linter.check("course: ", release[key], ("release", key),
                             release.key_locations[key])

    for module in raw.all_modules:  # the variants' own modules too
        data = module.data
        if data is None:
            continue
        for key in ("title", "description"):
            if key in data:
                linter.check(f"module '{module.slug}': ", data[key], (key,),
                             data.key_locations[key])
        pages = data.get("pages")
        if not isinstance(pages, LocatedList):
            continue
        for p_index, raw_page in enumerate(pages):
            if not isinstance(raw_page, LocatedDict):
                continue
            page_id = f"{module.slug}/{raw_page.get('id', f'page-{p_index + 1}')}"
            if "title" in raw_page:
                linter.check(f"page '{page_id}': ", raw_page["title"], ("title",),
                             raw_page.key_locations["title"])
            blocks = raw_page.get("blocks")
            if not isinstance(blocks, LocatedList):
                continue
            for b_index, raw_block in enumerate(blocks):
                if not isinstance(raw_block, LocatedDict):
                    continue
                label = block_label(raw_block, b_index, page_id)
                ignore = _block_ignores(raw_block, label, linter)
                linter.check(label, raw_block, (), blocks.item_locations[b_index], ignore)
