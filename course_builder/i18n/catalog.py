"""A course's translations into one language, and what is missing or out of date.

A :class:`Catalog` is what ``translations/<lang>.po`` or ``translations/<lang>.xlf`` holds: for
each unit's context, the source text the translation was made from and the translation. A
translation whose recorded source is no longer the course's text is *stale* (the author changed
the English since): the build shows the source text instead, marked with its language, until a
translator has looked at it again. The file formats (``po.py``, ``xliff.py``) only read and
write catalogs; everything a build or ``translate status`` decides is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum

from course_builder.i18n.units import Unit


class State(str, Enum):
    TRANSLATED = "translated"
    STALE = "stale"  # translated, but the source text has changed since (or marked fuzzy)
    UNTRANSLATED = "untranslated"


@dataclass(frozen=True)
class Entry:
    """One translated (or not yet translated) unit in a translations file."""

    context: str
    source: str  # the source text the translation was made for
    target: str = ""  # "" while untranslated
    fuzzy: bool = False  # needs a translator's look (gettext "fuzzy", XLIFF state="initial")
    previous_source: str | None = None  # when the source changed: what the translator saw
    line: int = 0  # where it is in the file read (0: not read from a file)

    @property
    def translated(self) -> bool:
        return bool(self.target.strip())


@dataclass
class Catalog:
    """Translations of one course into ``lang``; ``entries`` in course order, by context."""

    course_id: str
    source_lang: str
    lang: str
    entries: dict[str, Entry] = field(default_factory=dict)
    #: entries for contexts the course no longer has, kept so that no translation is lost
    #: (written as gettext's obsolete ``#~`` entries; XLIFF has no such place and drops them)
    obsolete: dict[str, Entry] = field(default_factory=dict)
    #: header fields a translator's tool keeps (PO-Revision-Date, Last-Translator, ...)
    headers: dict[str, str] = field(default_factory=dict)

    def state(self, unit: Unit) -> State:
        entry = self.entries.get(unit.context)
        if entry is None or not entry.translated:
            return State.UNTRANSLATED
        if entry.fuzzy or entry.source != unit.source:
            return State.STALE
        return State.TRANSLATED

    def translation(self, unit: Unit) -> str | None:
        """The text to show for ``unit``: its translation when current, else None."""
        if self.state(unit) is not State.TRANSLATED:
            return None
        return self.entries[unit.context].target


@dataclass(frozen=True)
class Status:
    """How far a language's translation has come, unit by unit."""

    lang: str
    states: tuple[tuple[Unit, State], ...]
    obsolete: tuple[str, ...]  # contexts in the file the course no longer has

    def count(self, state: State) -> int:
        return sum(1 for _, s in self.states if s is state)

    def units(self, state: State) -> list[Unit]:
        return [unit for unit, s in self.states if s is state]

    @property
    def complete(self) -> bool:
        return all(s is State.TRANSLATED for _, s in self.states)

    def summary(self) -> str:
        """``412 of 420 strings translated; 5 untranslated, 3 stale``."""
        total = len(self.states)
        done = self.count(State.TRANSLATED)
        text = f"{done} of {total} strings translated"
        missing = [f"{self.count(s)} {s.value}" for s in (State.UNTRANSLATED, State.STALE)
                   if self.count(s)]
        return text + (f"; {', '.join(missing)}" if missing else "")


def status(units: Iterable[Unit], catalog: Catalog) -> Status:
    listed = list(units)
    known = {unit.context for unit in listed}
    return Status(catalog.lang, tuple((unit, catalog.state(unit)) for unit in listed),
                  tuple(c for c in catalog.entries if c not in known))


def refresh(units: Iterable[Unit], catalog: Catalog | None, course_id: str, source_lang: str,
            lang: str) -> Catalog:
    """The catalog brought up to date with the course, as ``msgmerge`` does for gettext: every
    unit in course order with its current source text; a translation made for other source
    text is kept but marked fuzzy, with the text it was made for as ``previous_source``;
    entries for contexts the course no longer has become obsolete."""
    old = catalog or Catalog(course_id, source_lang, lang)
    fresh = Catalog(course_id, source_lang, lang, headers=dict(old.headers))
    for unit in units:
        entry = old.entries.get(unit.context) or old.obsolete.get(unit.context)
        if entry is None or not entry.translated:
            fresh.entries[unit.context] = Entry(unit.context, unit.source)
        elif entry.source == unit.source:
            fresh.entries[unit.context] = replace(entry, line=0)
        else:
            fresh.entries[unit.context] = Entry(
                unit.context, unit.source, entry.target, fuzzy=True,
                previous_source=entry.previous_source if entry.fuzzy and entry.previous_source
                else entry.source)
    known = set(fresh.entries)
    for context, entry in [*old.entries.items(), *old.obsolete.items()]:
        if context not in known and entry.translated:
            fresh.obsolete[context] = replace(entry, line=0)
    return fresh
