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

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course_builder.diagnostics import Reporter, SourceLocation, did_you_mean
from course_builder.model import Block, Course
from course_builder.pipeline.context import field_path
from course_builder.plugin import ID_PATTERN
from course_builder.yamlsource import LocatedDict, LocatedList, YamlError, load_yaml, locate

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


@dataclass(frozen=True)
class Finding:
    """A match of ``rule`` in a string, from ``start`` to ``end``."""

    rule: Rule
    hint: str | None
    start: int
    end: int


def _whole_words(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


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


def builtin_rules() -> RuleSet:
    """The rules shipped with course_builder (``safe_messaging.yaml``)."""
    source = resources.files("course_builder.lint").joinpath("safe_messaging.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    rules = RuleSet()
    _apply(_RulesFile.model_validate(data), data, rules, Path(str(source)), None)
    return rules


def course_rules(course_root: Path, reporter: Reporter) -> RuleSet:
    """The built-in rules extended by the course's ``safe-messaging.yaml``, if it has one."""
    rules = builtin_rules()
    path = course_root / COURSE_FILE
    if not path.is_file():
        return rules
    try:
        raw = load_yaml(path)
    except YamlError as exc:
        reporter.error(f"{COURSE_FILE}: {exc}", exc.location)
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
        # Imported here: the pipeline may import this module.
        from course_builder.pipeline.validate import report_validation_error

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


# -- exact locations inside multi-line scalars -----------------------------------------------------
class _SourceFile:
    """One YAML file's text and its scalar nodes by start position, to place matches exactly.

    The located tree records where each value starts (for ``|``/``>`` that is the indicator's
    line, not the text's), so the match is found again in the scalar's own source text, whose
    start and end marks PyYAML keeps.
    """

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")  # as yamlsource.load_yaml reads it
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.scalars: dict[tuple[int, int], yaml.ScalarNode] = {}
        try:
            root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            root = None
        stack = [root] if root is not None else []
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                mark = node.start_mark
                self.scalars[(mark.line + 1, mark.column + 1)] = node
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                stack.extend(v for _k, v in node.value)

    def place(self, location: SourceLocation, value: str, start: int, end: int) -> SourceLocation:
        """Where ``value[start:end]`` is in the file; the value's own location if not found."""
        node = self.scalars.get((location.line, location.column))
        if node is None:
            return location
        source_start, source_end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):  # skip the header line (indicators, maybe a comment)
            newline = self.text.find("\n", source_start, source_end)
            source_start = source_end if newline < 0 else newline + 1
        words = value[start:end].split()
        if not words:
            return location
        # Folding turns line breaks and indentation into spaces: match any whitespace run.
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        in_value = [m.start() for m in pattern.finditer(value)]
        if start not in in_value:
            return location
        nth = in_value.index(start)
        in_source = list(pattern.finditer(self.text, source_start, source_end))
        if nth >= len(in_source):
            return location
        index = in_source[nth].start()
        line = _bisect(self.line_starts, index)
        return SourceLocation(location.path, line + 1, index - self.line_starts[line] + 1)


def _bisect(starts: list[int], index: int) -> int:
    return bisect.bisect_right(starts, index) - 1


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
    def __init__(self, rules: RuleSet, reporter: Reporter) -> None:
        self.rules = rules
        self.reporter = reporter
        self.files: dict[Path, _SourceFile] = {}

    def check(self, label: str, value: Any, parts: tuple[str | int, ...],
              location: SourceLocation, ignore: frozenset[str] = frozenset()) -> None:
        for where, text, text_location in _strings(value, parts, location):
            for finding in find(text, self.rules, ignore):
                shown = " ".join(text[finding.start:finding.end].split())
                path = text_location.path
                if path not in self.files:
                    self.files[path] = _SourceFile(path)
                exact = self.files[path].place(text_location, text, finding.start, finding.end)
                name = field_path(where)
                self.reporter.warning(
                    f"{label}{name + ': ' if name else ''}'{shown}' is {finding.rule.message} "
                    f"[{finding.rule.id}]", exact, finding.hint)


def block_label(block: Block) -> str:
    """The prefix validation uses for a block: ``block 'q3' (quiz): ``."""
    if block.data.id:
        return f"block '{block.data.id}' ({block.type}): "
    return f"block {block.index + 1} ({block.type}) on page '{block.page.id}': "


def _block_ignores(block: Block, linter: _Linter) -> frozenset[str]:
    lint = block.data.lint
    if lint is None:
        return frozenset()
    known = linter.rules.rules
    raw_ignore = block.raw.get("lint", {}).get("ignore") if isinstance(block.raw, dict) else None
    for index, rule_id in enumerate(lint.ignore):
        if rule_id not in known:
            location = (raw_ignore.item_locations[index]
                        if isinstance(raw_ignore, LocatedList) and index < len(raw_ignore)
                        else block.location)
            linter.reporter.warning(
                f"{block_label(block)}lint.ignore[{index}]: unknown safe-messaging rule "
                f"'{rule_id}'", location,
                did_you_mean(rule_id, known) or f"the rules are: {', '.join(sorted(known))}")
    return frozenset(lint.ignore)


def lint_course(course: Course, reporter: Reporter) -> None:
    """Report safe-messaging warnings for every author string in a validated course."""
    rules = course_rules(course.root, reporter)
    linter = _Linter(rules, reporter)

    config_path = course.root / "course.yaml"
    try:
        config = load_yaml(config_path) if config_path.is_file() else None
    except YamlError:
        config = None
    if isinstance(config, LocatedDict):
        for key in COURSE_TEXT_KEYS:
            if key in config:
                linter.check("course: ", config[key], (key,), config.key_locations[key])
        release = config.get("release")
        if isinstance(release, LocatedDict):
            for key in RELEASE_TEXT_KEYS:
                if key in release:
                    linter.check("course: ", release[key], ("release", key),
                                 release.key_locations[key])

    for module in course.modules:
        try:
            raw = load_yaml(module.directory / "module.yaml")
        except (OSError, YamlError):
            raw = None
        if not isinstance(raw, LocatedDict):
            continue
        for key in ("title", "description"):
            if key in raw:
                linter.check(f"module '{module.slug}': ", raw[key], (key,),
                             raw.key_locations[key])
        pages = raw.get("pages")
        if isinstance(pages, LocatedList):
            for page, raw_page in zip(module.pages, pages, strict=False):
                if isinstance(raw_page, LocatedDict) and "title" in raw_page:
                    linter.check(f"page '{page.id}': ", raw_page["title"], ("title",),
                                 raw_page.key_locations["title"])

    for block in course.blocks:
        ignore = _block_ignores(block, linter)
        if isinstance(block.raw, LocatedDict):
            linter.check(block_label(block), block.raw, (), block.location, ignore)
