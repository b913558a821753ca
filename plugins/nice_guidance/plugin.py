"""A card summarising a NICE guideline or quality standard in the author's words, with a link to
the guidance, and build-time checks that the course does not cite withdrawn or stale guidance.

The plugin carries a small table of the NICE products the course cites (``NICE_PRODUCTS``).
Citing a product NICE has withdrawn is a warning naming the replacement, so ``--strict`` builds
fail on it; a product not in the table is reported as a note, because its status cannot be
checked here.

"Today" for the staleness checks is the build machine's date, or ``COURSE_BUILDER_TODAY``
(``YYYY-MM-DD``) when that environment variable is set, so tests and rebuilds are reproducible.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field

from course_builder.dates import MONTHS, long_date, months_before
from course_builder.i18n.text import SourceText
from course_builder.i18n.words import N_, current
from course_builder.i18n.words import gettext as _
from course_builder.i18n.words import ngettext
from course_builder.plugin import (
    Block,
    BlockContext,
    BlockModel,
    ContentType,
    TranslatableMarkdown,
    TranslatableText,
)

STALE_AFTER_MONTHS = 12
NICE_HOSTS = ("nice.org.uk", "www.nice.org.uk")

@dataclass(frozen=True)
class NiceProduct:
    """One NICE product as published (https://www.nice.org.uk/guidance/<code>)."""

    code: str
    title: str
    kind: str  # "guideline" or "quality standard"
    published: datetime.date
    url: str
    updated: datetime.date | None = None
    replaced_by: str | None = None  # set when NICE has withdrawn the product
    replaced_on: datetime.date | None = None

    @property
    def withdrawn(self) -> bool:
        return self.replaced_by is not None


#: The NICE products this course-builder knows the status of. Add to it when a course cites a
#: new product, and record withdrawals here (with the replacement) as NICE publishes them.
NICE_PRODUCTS: dict[str, NiceProduct] = {p.code: p for p in (
    NiceProduct("NG225", "Self-harm: assessment, management and preventing recurrence",
                "guideline", datetime.date(2022, 9, 7),
                "https://www.nice.org.uk/guidance/ng225"),
    NiceProduct("CG16", "Self-harm in over 8s: short-term management and prevention of "
                "recurrence", "guideline", datetime.date(2004, 7, 28),
                "https://www.nice.org.uk/guidance/cg16",
                replaced_by="NG225", replaced_on=datetime.date(2022, 9, 7)),
    NiceProduct("CG133", "Self-harm in over 8s: long-term management", "guideline",
                datetime.date(2011, 11, 23), "https://www.nice.org.uk/guidance/cg133",
                replaced_by="NG225", replaced_on=datetime.date(2022, 9, 7)),
    NiceProduct("QS34", "Self-harm", "quality standard", datetime.date(2013, 6, 27),
                "https://www.nice.org.uk/guidance/qs34", updated=datetime.date(2022, 9, 7)),
)}

PRODUCT_PATTERN = r"^[A-Za-z]{2,5}[0-9]{1,4}$"
RECOMMENDATION_PATTERN = r"^[0-9]+(\.[0-9]+)*[a-z]?$"


class NiceGuidanceBlock(BlockModel):
    """A NICE recommendation (or quality statement) summarised in the author's own words."""

    product: str = Field(pattern=PRODUCT_PATTERN)
    recommendations: tuple[str, ...] = ()
    title: TranslatableText | None = Field(default=None, min_length=1)
    summary: TranslatableMarkdown = Field(min_length=1)
    url: str | None = None
    checked: datetime.date


def month_year(day: datetime.date) -> str:
    """``September 2022``, the month in the page's language."""
    return f"{_(MONTHS[day.month - 1])} {day.year}"


#: the start of the line that cites a product, by its kind (one sentence each: in Welsh, the
#: kind's first letter changes after "O")
SOURCE_TEXTS = {"guideline": N_("From NICE guideline %(code)s,"),
                "quality standard": N_("From NICE quality standard %(code)s,"),
                "guidance": N_("From NICE guidance %(code)s,")}


def _english(title: str) -> str:
    """A NICE product's title, published in English only: marked so in a page in another
    language (the page gives it ``lang="en-GB"``)."""
    return title if current().is_source else SourceText(title, "en-GB")


class NiceGuidance(ContentType[NiceGuidanceBlock]):
    """A card citing NICE guidance: heading, recommendation numbers, the author's summary, a link
    to the guidance (new tab) and when the author last checked it. Not tracked; no JavaScript."""

    name = "nice_guidance"
    model = NiceGuidanceBlock
    template = "nice_guidance.html.j2"
    handout_template = "nice_guidance.handout.html.j2"
    styles = ("nice_guidance.css",)
    requires_id = True

    def check(self, block: Block[NiceGuidanceBlock], ctx: BlockContext[NiceGuidanceBlock]) -> None:
        data = block.data
        code = data.product.upper()
        product = NICE_PRODUCTS.get(code)
        if product is None:
            ctx.note(f"{code} is not in course-builder's list of NICE products, so whether it "
                     "is current or withdrawn cannot be checked; check its status on the NICE "
                     "website", "product")
            if data.title is None:
                ctx.error(f"a title is needed: course-builder does not know {code}'s title",
                          "title", hint="copy the title from the guidance's page on nice.org.uk")
            if data.url is None:
                ctx.error(f"a url is needed: course-builder does not know where {code} is "
                          "published", "product",
                          hint=f"for example url: https://www.nice.org.uk/guidance/{code.lower()}")
        elif product.withdrawn:
            replaced_on = product.replaced_on or product.published
            ctx.warning(f"{code} was replaced by {product.replaced_by} in "
                        f"{month_year(replaced_on)}; cite {product.replaced_by} instead",
                        "product",
                        hint="NICE withdrew this guidance; the replacement's recommendations may "
                             "say something different, so check the summary too")
        for index, number in enumerate(data.recommendations):
            if not re.fullmatch(RECOMMENDATION_PATTERN, number):
                ctx.error(f"'{number}' is not a recommendation number such as 1.6.1",
                          f"recommendations[{index}]",
                          hint='quote numbers in YAML lists, e.g. ["1.6.1", "1.6.2"]')
        self._check_url(data, product, ctx)
        self._check_date(data, ctx)

    def _check_url(self, data: NiceGuidanceBlock, product: NiceProduct | None,
                   ctx: BlockContext[NiceGuidanceBlock]) -> None:
        if data.url is None:
            return
        parts = urlsplit(data.url)
        if parts.scheme != "https" or not parts.netloc:
            ctx.error(f"'{data.url}' must be a full https:// address", "url",
                      hint=f"for example https://www.nice.org.uk/guidance/{data.product.lower()}")
            return
        host = (parts.hostname or "").lower()
        if host not in NICE_HOSTS:
            ctx.warning(f"'{data.url}' is not on nice.org.uk; link to NICE's own page for "
                        f"{data.product.upper()}", "url",
                        hint="copies of guidance elsewhere can be out of date")
        elif product is not None and not parts.path.lower().startswith(
                f"/guidance/{product.code.lower()}"):
            ctx.warning(f"'{data.url}' does not point to {product.code}'s pages "
                        f"({product.url})", "url")

    def _check_date(self, data: NiceGuidanceBlock, ctx: BlockContext[NiceGuidanceBlock]) -> None:
        now = ctx.today()
        if data.checked > now:
            ctx.error(f"{data.checked.isoformat()} is in the future (today is "
                      f"{now.isoformat()}); give the date you last checked the guidance",
                      "checked")
        elif data.checked < months_before(now, STALE_AFTER_MONTHS):
            ctx.warning(f"the guidance was last checked on {long_date(data.checked)}, more than "
                        f"{STALE_AFTER_MONTHS} months ago; check it is still current on the "
                        "NICE website and update `checked`", "checked")

    # -- rendering ----------------------------------------------------------------------------
    def template_variables(self, block: Block[NiceGuidanceBlock],
                           ctx: BlockContext[NiceGuidanceBlock]) -> dict[str, Any]:
        data = block.data
        code = data.product.upper()
        product = NICE_PRODUCTS.get(code)
        kind = product.kind if product else "guidance"
        numbers = list(data.recommendations)
        if kind == "quality standard":
            noun = ngettext("Quality statement", "Quality statements", len(numbers))
        else:
            noun = ngettext("Recommendation", "Recommendations", len(numbers))
        replacement = None
        if product is not None and product.withdrawn:
            replacement = NICE_PRODUCTS.get(product.replaced_by or "")
        return dict(
            code=code, product=product, kind=kind,
            source_text=_(SOURCE_TEXTS.get(kind, SOURCE_TEXTS["guidance"])) % {"code": code},
            heading=data.title or (_english(product.title) if product else code),
            product_title=_english(product.title) if product else None,
            replacement_title=_english(replacement.title) if replacement else None,
            numbers=numbers, numbers_label=noun,
            url=data.url or (product.url if product else ""),
            checked_text=long_date(data.checked), checked_iso=data.checked.isoformat(),
            published=month_year(product.published) if product else None,
            updated=month_year(product.updated) if product and product.updated else None,
            replaced_on=month_year(product.replaced_on) if product and product.replaced_on
            else None,
            replacement=replacement)

    def client_data(self, block: Block[NiceGuidanceBlock],
                    ctx: BlockContext[NiceGuidanceBlock]) -> dict[str, Any]:
        return {}
