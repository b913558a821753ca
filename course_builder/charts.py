"""Axis and bar geometry shared by the two SVG chart drawers: the statistics content type (a
chart in the course, drawn by its template) and ``course-builder report`` (charts in
report.html). Pure arithmetic: each drawer keeps its own look and text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Round steps for a value axis: 1, 2, 2.5 and 5 times a power of ten.
DECIMAL_STEPS = (1, 2, 2.5, 5, 10)
#: The same for counts, which never need a step of 2.5.
WHOLE_STEPS = (1, 2, 5, 10)


def nice_step(raw: float, multipliers: Sequence[float] = DECIMAL_STEPS) -> float:
    """The smallest round step (a multiplier times a power of ten) that is at least ``raw``."""
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in multipliers if m * magnitude >= raw)


@dataclass(frozen=True)
class ValueAxis:
    """A vertical value axis from 0 to ``maximum`` in steps of ``step``, drawn ``height`` high
    with its zero at ``bottom`` (SVG y grows downwards)."""

    maximum: float
    step: float
    bottom: float
    height: float

    def y(self, value: float) -> float:
        """Where ``value`` is on the page."""
        return self.bottom - value / self.maximum * self.height

    def ticks(self) -> list[float]:
        """The values a grid line and a label mark: 0, step, 2 x step ... maximum."""
        return [self.step * i for i in range(round(self.maximum / self.step) + 1)]


@dataclass(frozen=True)
class Bar:
    """One bar's rectangle."""

    x: float
    y: float
    width: float
    height: float


def column(axis: ValueAxis, index: int, value: float, *, left: float, slot: float,
           inset: float, group: int = 0, groups: int = 1, gap: float = 0.0) -> Bar:
    """The bar of ``value`` in the ``index``-th slot (``slot`` wide from ``left``), leaving
    ``inset`` on each side; with several ``groups`` the slot is shared side by side, each bar
    ``gap`` narrower than its share."""
    share = (slot - 2 * inset) / groups
    x = left + slot * index + inset + share * group
    top = axis.y(value)
    return Bar(x, top, share - gap, axis.bottom - top)
