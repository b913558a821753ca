"""SCORM 2004 packages: 4th Edition, and 3rd Edition for platforms that list only that."""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml.builder import ElementMaker

from course_builder.i18n.text import lang_of
from course_builder.model import Course, Interaction
from course_builder.targets._ims import (
    XSI,
    control_documents,
    manifest_identifier,
    schema_locations,
    serialize,
)
from course_builder.targets._interactions import scorm2004_patterns
from course_builder.targets._xapi import package_iri
from course_builder.targets.base import Target

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"


class Scorm2004(Target):
    name = "scorm2004"
    label = "SCORM 2004 4th Edition"
    runtime_adapter = "scorm2004"
    runtime_helpers = ("_scorm_api.js",)  # finds API_1484_11 (SCORM 2004 RTE 3.1.2.1)
    edition = "2004 4th Edition"
    max_suspend_data = 64000  # SCORM 2004 4th Ed. RTE 4.2.23: characterstring SPM 64000
    max_location = 1000  # cmi.location SPM 1000
    supported_interactions = frozenset({
        "choice", "true-false", "matching", "sequencing", "numeric", "likert", "fill-in",
        "long-fill-in", "other",
    })

    def interaction_data(self, interaction: Interaction) -> dict[str, Any]:
        data = super().interaction_data(interaction)
        data["scormType"] = interaction.type
        data["patterns"] = scorm2004_patterns(interaction)
        return data

    #: Where the control documents come from: course_builder/schemas/<this>/. The 3rd Edition
    #: package carries the 4th Edition's files too: they are a superset of the 3rd's (the same
    #: namespaces; adlseq and adlnav gained optional elements and tokens in 2008-2009).
    schema_edition = "scorm2004_4th"
    #: Not referenced by any schema, but part of the set the ADL test suite checks for.
    extra_control_documents = ("ims_xml.xsd",)

    def extra_files(self, course: Course, files: list[str]) -> dict[str, bytes]:
        manifest = self.manifest(course, files)
        documents = control_documents(self.schema_edition, tuple(schema_locations(manifest)),
                                      self.extra_control_documents)
        return {"imsmanifest.xml": serialize(manifest), **documents}

    def manifest(self, course: Course, files: list[str]) -> etree._Element:
        config = course.config
        nsmap = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV,
                 "imsss": IMSSS, "lom": LOM, "xsi": XSI}
        E = ElementMaker(namespace=IMSCP, nsmap=nsmap)
        S = ElementMaker(namespace=IMSSS)
        N = ElementMaker(namespace=ADLNAV)
        A = f"{{{ADLCP}}}"
        item = E.item(
            E.title(config.title),
            # The course is one SCO; it sets completion and success itself.
            S.sequencing(S.deliveryControls(tracked="true", completionSetByContent="true",
                                            objectiveSetByContent="true")),
            # The course has its own Next/Previous; hide the LMS's duplicates.
            N.presentation(N.navigationInterface(N.hideLMSUI("continue"),
                                                 N.hideLMSUI("previous"))),
            identifier="ITEM-1", identifierref="RES-1", isvisible="true",
        )
        root = E.manifest(
            E.metadata(E.schema("ADL SCORM"), E.schemaversion(self.edition), self.lom(course)),
            E.organizations(
                E.organization(
                    E.title(config.title), item,
                    # choice and flow let the learner leave and resume the single SCO.
                    S.sequencing(S.controlMode(choice="true", flow="true")),
                    identifier="ORG-1",
                ),
                default="ORG-1",
            ),
            E.resources(
                E.resource(
                    *[E.file(href=path) for path in sorted(files)],
                    identifier="RES-1", type="webcontent", href=self.launch_file,
                    **{f"{A}scormType": "sco"},
                ),
            ),
            identifier=manifest_identifier(course),
            version=config.version,
        )
        root.set(f"{{{XSI}}}schemaLocation",
                 f"{IMSCP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
                 f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd {LOM} lom.xsd")
        return root

    def lom(self, course: Course):  # type: ignore[no-untyped-def]
        """IEEE LOM metadata inline in the manifest, as SCORM 2004 CAM allows."""
        config = course.config
        L = ElementMaker(namespace=LOM)

        def text(value: str):  # type: ignore[no-untyped-def]
            return L.string(value, language=lang_of(value, config.language))

        general = L.general(
            L.identifier(L.catalog("URI"), L.entry(package_iri(course))),
            L.title(text(config.title)),
            L.language(config.language),
            L.description(text(config.description or config.title)),
            *[L.keyword(text(k)) for k in config.keywords],
        )
        parts = [general, L.lifeCycle(L.version(text(config.version)))]
        if config.duration:
            parts.append(L.educational(L.typicalLearningTime(L.duration(config.duration))))
        return L.lom(*parts)


class Scorm2004Third(Scorm2004):
    name = "scorm2004-3rd"
    label = "SCORM 2004 3rd Edition"
    edition = "2004 3rd Edition"
    max_suspend_data = 4000  # SCORM 2004 3rd Ed. RTE: cmi.suspend_data SPM 4000
