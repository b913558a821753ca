"""Neutral interactions to SCORM 1.2 and 2004 data (the adapters format responses the same way)."""

from __future__ import annotations

from course_builder.model import Interaction
from course_builder.targets._interactions import scorm12_patterns, scorm2004_patterns

CHOICE = Interaction("q1", "choice", "Pick", choices=(("a", "A"), ("b", "B"), ("c", "C")),
                     correct=("a,c",))
TRUE_FALSE = Interaction("q2", "true-false", "Sky", correct=("true",))
MATCHING = Interaction("q3", "matching", "Match", correct=("a.1,b.2",))
NUMERIC = Interaction("q4", "numeric", "How many", correct=("40:44",))
TWO_GOOD = Interaction("s1", "choice", "Scenario", choices=(("a", "A"), ("b", "B")),
                       correct=("a", "b"))


def test_scorm12_patterns():
    assert scorm12_patterns(CHOICE) == ["a,c"]
    assert scorm12_patterns(TRUE_FALSE) == ["t"]
    assert scorm12_patterns(MATCHING) == ["a.1,b.2"]
    assert scorm12_patterns(NUMERIC) == ["40"]
    assert scorm12_patterns(TWO_GOOD) == ["a", "b"]
    assert scorm12_patterns(Interaction("l", "likert", "How")) == []


def test_scorm2004_patterns():
    assert scorm2004_patterns(CHOICE) == ["a[,]c"]
    assert scorm2004_patterns(TRUE_FALSE) == ["true"]
    assert scorm2004_patterns(MATCHING) == ["a[.]1[,]b[.]2"]
    assert scorm2004_patterns(NUMERIC) == ["40[:]44"]
    assert scorm2004_patterns(TWO_GOOD) == ["a", "b"]
