"""The ``course.yaml`` model."""

from __future__ import annotations

import datetime
import re
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from course_builder.i18n.languages import (
    CourseLanguage,
    LanguageEntry,
    check_languages,
    source_language_default,
)
from course_builder.i18n.text import TranslatableMarkdown, TranslatableText
from course_builder.model import ID_PATTERN

OutputName = Literal["scorm12", "scorm2004", "scorm2004-3rd", "xapi", "cmi5", "web", "handout"]

_ISO_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SupportContact(_Strict):
    """A helpline or local service shown in the support panel on every page."""

    name: TranslatableText = Field(min_length=1)
    contact: TranslatableText = Field(min_length=1)
    href: str | None = Field(default=None, pattern=r"^(tel|sms|https|mailto):")
    description: TranslatableText = ""


#: The support panel's introduction when course.yaml gives none: true of any course, whatever
#: its subject (a course's own words belong in its course.yaml, as `support_intro`).
DEFAULT_SUPPORT_INTRO = "You can stop at any time and come back later: your progress is saved."


_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$")
_CONTACT_LINK = re.compile(r"^(https://[^\s/]+|mailto:[^\s]+@[^\s]+|tel:\+?[0-9 ()-]+)",
                           re.IGNORECASE)


class Accessibility(_Strict):
    """What the generated accessibility statement says beyond what the build knows itself."""

    contact: str | None = None  # email address or web page for reporting a problem
    limitations: tuple[TranslatableText, ...] = ()
    reviewed: datetime.date | None = None  # when the statement was last reviewed

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        # The statement links to it: only a mail address, a secure web page or a phone
        # number, never javascript:, data: or another scheme a learner's click would run.
        if value is not None and not (_EMAIL.match(value) or _CONTACT_LINK.match(value)):
            raise ValueError("must be an email address (access@example.org) or a link "
                             "starting https://, mailto: or tel:")
        return value

    @property
    def contact_href(self) -> str | None:
        """The link the statement gives for :attr:`contact`."""
        if self.contact is None:
            return None
        return f"mailto:{self.contact}" if _EMAIL.match(self.contact) else self.contact


class Reviewer(_Strict):
    """Someone who reviews the course before release, e.g. a clinical or lived-experience reviewer.

    ``name`` and ``signed_off`` stay empty until that person has signed this version off; a
    reviewer listed without them is shown as "not yet signed off"."""

    #: what they review: "clinical", "lived experience", ...
    area: TranslatableText = Field(min_length=1)
    #: their job or standing, e.g. "Consultant liaison psychiatrist"
    role: TranslatableText = Field(min_length=1)
    name: str | None = Field(default=None, min_length=1)
    organisation: str | None = Field(default=None, min_length=1)
    signed_off: datetime.date | None = None

    @property
    def done(self) -> bool:
        return self.name is not None and self.signed_off is not None


class Release(_Strict):
    """Who has signed this version off, when it must be reviewed again, and what is illustrative.

    ``status: draft`` says plainly that sign-off is pending; ``status: release`` is a version
    to give to a trust, so every reviewer listed must have signed it off (by name and date)."""

    status: Literal["draft", "release"]
    reviewers: tuple[Reviewer, ...] = ()
    next_review: datetime.date
    #: what is made up, and why
    illustrative: TranslatableMarkdown | None = Field(default=None, min_length=1)


class Completion(_Strict):
    """When the course counts as completed."""

    pages: Literal["all"] | int = Field(default="all")
    require: tuple[str, ...] = ()

    @field_validator("pages")
    @classmethod
    def _percent(cls, value: str | int) -> str | int:
        if isinstance(value, int) and not 0 <= value <= 100:
            raise ValueError("must be 'all' or a percentage from 0 to 100")
        return value

    @property
    def percent(self) -> int:
        return 100 if self.pages == "all" else int(self.pages)


class Passing(_Strict):
    """How the course is passed: a percentage over all scored blocks."""

    pass_mark: int = Field(ge=0, le=100)


class Cmi5Options(_Strict):
    """How the cmi5 package is structured."""

    au_per_module: bool = False  # one assignable unit per module instead of one for the course


_LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/")


class EvaluationCollector(_Strict):
    """Where anonymous evaluation answers go: an xAPI endpoint of the course's owner.

    ``write_only_key`` is published in every package (anyone can read a package's files), so
    it must belong to an account that may only write statements: see
    docs/evaluation-collector.md. The secrets check refuses it unless ``write_only: true``
    declares that this was checked.
    """

    endpoint: str
    username: str = Field(min_length=1, pattern=r"^[^:\s]+$")
    write_only_key: str = Field(min_length=1, pattern=r"^\S+$")
    write_only: bool = False
    #: Answers leave at a random moment within this many seconds of Submit (or when the learner
    #: leaves, if sooner), so their arrival time is not the moment the LMS records "submitted".
    random_delay_seconds: int = Field(default=300, ge=0, le=86400)

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        text = value.strip()
        if not text.endswith("/"):
            text += "/"
        if "@" in urlsplit(text).netloc:
            raise ValueError("must not hold a user name or password; use username and "
                             "write_only_key")
        if not (text.startswith("https://") or _LOOPBACK.match(text)):
            raise ValueError("must be an https:// address such as "
                             "https://evaluations.example.org/xAPI/ (http:// only on 127.0.0.1 "
                             "or localhost, for tests)")
        if "?" in text or "#" in text:
            raise ValueError("must not have a query or fragment")
        return text

    @property
    def origin(self) -> str:
        """``https://host[:port]``: the one outside address packages may contact."""
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.netloc}"


class Evaluation(_Strict):
    """Where evaluation forms' anonymous answers go, and who receives them."""

    #: Who receives the answers, as the form names them (default: ``organisation``).
    owner: TranslatableText | None = Field(default=None, min_length=1)
    collector: EvaluationCollector | None = None
    #: An external survey (a trust's own survey tool) instead of the built-in form's questions.
    external_url: str | None = Field(default=None, pattern=r"^https://\S+$")
    #: The owner's privacy notice, linked from the form.
    privacy_url: str | None = Field(default=None, pattern=r"^https://\S+$")

    @model_validator(mode="after")
    def _one_destination(self) -> Evaluation:
        if self.collector is not None and self.external_url is not None:
            raise ValueError("give either collector or external_url, not both")
        return self


# -- variants: one course, a version per organisation (docs/variants.md) ---------------------
#: A variant id is part of folder, zip and package ids: short, lowercase, hyphens.
VARIANT_ID_LENGTH = 40


class SupportChange(_Strict):
    """The support panel of a variant: the course's contacts replaced by ``replace``, or kept
    with the variant's own ``before`` them (shown first) and ``after`` them."""

    replace: tuple[SupportContact, ...] | None = Field(default=None, min_length=1)
    before: tuple[SupportContact, ...] = ()
    after: tuple[SupportContact, ...] = ()

    @model_validator(mode="after")
    def _one_way(self) -> SupportChange:
        if self.replace is not None and (self.before or self.after):
            raise ValueError("give either `replace` (the whole list), or `before` and `after` "
                             "(contacts added to the course's), not both")
        if self.replace is None and not (self.before or self.after):
            raise ValueError("give `replace`, `before` or `after`")
        return self


class ModuleChange(_Strict):
    """One change to the course's list of modules: ``{replace: X, with: Y}`` shows module Y
    where the course has X; ``{add: Y, after: X}`` (or ``before: X``) adds module Y. Y is a
    folder of the course's ``modules/`` that the course itself need not list."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    replace: str | None = Field(default=None, pattern=ID_PATTERN)
    with_: str | None = Field(default=None, alias="with", pattern=ID_PATTERN)
    add: str | None = Field(default=None, pattern=ID_PATTERN)
    after: str | None = Field(default=None, pattern=ID_PATTERN)
    before: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _form(self) -> ModuleChange:
        replacing = self.replace is not None or self.with_ is not None
        adding = self.add is not None or self.after is not None or self.before is not None
        if replacing and adding:
            raise ValueError("give either `replace` and `with`, or `add` with `after` or "
                             "`before`, not both")
        if replacing and (self.replace is None or self.with_ is None):
            raise ValueError("`replace: <module>` needs `with: <module>` beside it")
        if adding and self.add is None:
            raise ValueError("`after` or `before` needs `add: <module>` beside it")
        if adding and (self.after is None) == (self.before is None):
            raise ValueError("`add: <module>` needs either `after: <module>` or "
                             "`before: <module>`")
        if not (replacing or adding):
            raise ValueError("give `replace` and `with`, or `add` with `after` or `before`")
        return self

    @property
    def new_module(self) -> str:
        """The module this change brings into the course."""
        found = self.with_ or self.add
        assert found is not None  # the validator made sure
        return found


class EvaluationChange(_Strict):
    """Where this variant's evaluation answers go: fields given here replace the course's
    ``evaluation:`` ones. ``collector`` and ``external_url`` are two destinations, so giving
    one drops the course's other."""

    owner: TranslatableText | None = Field(default=None, min_length=1)
    collector: EvaluationCollector | None = None
    external_url: str | None = Field(default=None, pattern=r"^https://\S+$")
    privacy_url: str | None = Field(default=None, pattern=r"^https://\S+$")

    @model_validator(mode="after")
    def _one_destination(self) -> EvaluationChange:
        if self.collector is not None and self.external_url is not None:
            raise ValueError("give either collector or external_url, not both")
        if not self.model_fields_set:
            raise ValueError("give at least one of owner, collector, external_url, "
                             "privacy_url")
        return self


class Variant(_Strict):
    """One version of the course, for one organisation (an NHS trust, a police force...)."""

    #: In the build folder, zip names, package identifiers and every xAPI statement's context.
    id: str = Field(pattern=ID_PATTERN, max_length=VARIANT_ID_LENGTH)
    #: The organisation's name: shown beside its logo, and the logo's alt text.
    name: TranslatableText = Field(min_length=1)
    #: An image in the course folder (PNG, JPEG, GIF, WebP or SVG), shown in the page header
    #: and on the handout's cover.
    logo: str | None = Field(default=None, min_length=1)
    #: Replaces course.yaml's ``organisation`` wherever the course shows it.
    organisation: TranslatableText | None = Field(default=None, min_length=1)
    support: SupportChange | None = None
    #: Statistics block id -> the block's fields to replace (``data``, ``source``, ``as_of``,
    #: ``note``...), checked by the statistics content type as the block's own are.
    statistics: dict[str, dict[str, Any]] = Field(default_factory=dict)
    modules: tuple[ModuleChange, ...] = ()
    evaluation: EvaluationChange | None = None


class CourseConfig(_Strict):
    """Everything in ``course.yaml``."""

    id: str
    title: TranslatableText = Field(min_length=1)
    language: str = "en-GB"
    #: Every language the course is offered in, ``language`` first (course_builder/i18n).
    languages: tuple[LanguageEntry, ...] = ()
    # In every package's file name: a length that fits any disk's file names.
    version: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+-]*$", max_length=40)
    description: TranslatableText = ""
    keywords: tuple[TranslatableText, ...] = ()
    duration: str | None = None
    organisation: TranslatableText | None = None
    modules: tuple[str, ...] = Field(min_length=1)
    completion: Completion = Completion()
    passing: Passing | None = None
    outputs: tuple[OutputName, ...] = ("scorm12", "scorm2004")
    support: tuple[SupportContact, ...] = ()
    support_intro: TranslatableText = Field(default=DEFAULT_SUPPORT_INTRO, min_length=1)
    accessibility: Accessibility = Accessibility()
    cmi5: Cmi5Options = Cmi5Options()
    release: Release | None = None
    evaluation: Evaluation = Evaluation()
    #: Versions of the course for different organisations (docs/variants.md).
    variants: tuple[Variant, ...] = ()

    _source_language = model_validator(mode="before")(source_language_default)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[CourseLanguage, ...],
                   info: ValidationInfo) -> tuple[CourseLanguage, ...]:
        if isinstance(info.data.get("language"), str):
            check_languages(info.data["language"], value)
        return value

    @field_validator("id")
    @classmethod
    def _iri(cls, value: str) -> str:
        if not _IRI.match(value):
            raise ValueError("must be an IRI such as https://example.org/courses/my-course")
        return value

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str) -> str:
        if not _LANGUAGE.match(value):
            raise ValueError("must be a language tag such as en-GB or cy")
        return value

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None and not _ISO_DURATION.match(value):
            raise ValueError("must be an ISO 8601 duration such as PT1H30M")
        return value

    @field_validator("modules")
    @classmethod
    def _slugs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for slug in value:
            if not re.match(ID_PATTERN, slug):
                raise ValueError(f"module '{slug}' must be lowercase letters, digits and hyphens")
        if len(set(value)) != len(value):
            raise ValueError("a module is listed twice")
        return value

    @property
    def evaluation_owner(self) -> str | None:
        """Who receives evaluation answers: ``evaluation.owner``, else ``organisation``."""
        return self.evaluation.owner or self.organisation

    @property
    def slug(self) -> str:
        """A file-name-safe name for the course, from the last part of its id."""
        tail = re.split(r"[/:#]", self.id.rstrip("/#"))[-1]
        return re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip("-") or "course"


class PageFile(BaseModel):
    """One page of a ``module.yaml``: its own fields (each block is checked by its plugin)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    title: TranslatableText = Field(min_length=1)
    blocks: list[Any] = Field(min_length=1)


class ModuleFile(BaseModel):
    """A ``module.yaml``: the module's own fields and its pages."""

    model_config = ConfigDict(extra="forbid")
    title: TranslatableText = Field(min_length=1)
    description: TranslatableText = ""
    pages: list[dict[str, Any]] = Field(min_length=1)
