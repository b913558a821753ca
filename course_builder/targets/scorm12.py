"""SCORM 1.2 package: the format nearly every NHS trust LMS accepts."""

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
from course_builder.targets._interactions import SCORM12_TYPES, scorm12_patterns
from course_builder.targets._xapi import package_iri
from course_builder.targets.base import Target

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


class Scorm12(Target):
    name = "scorm12"
    label = "SCORM 1.2"
    runtime_adapter = "scorm12"
    runtime_helpers = ("_scorm_api.js",)  # finds the LMS's API object (SCORM 1.2 RTE 3.3.6.1)
    max_suspend_data = 4096  # SCORM 1.2 RTE 3.4.4: cmi.suspend_data is CMIString4096
    max_location = 255  # cmi.core.lesson_location is CMIString255
    supported_interactions = frozenset(SCORM12_TYPES)

    def interaction_data(self, interaction: Interaction) -> dict[str, Any]:
        data = super().interaction_data(interaction)
        data["scormType"] = SCORM12_TYPES[interaction.type]
        data["patterns"] = scorm12_patterns(interaction)
        return data

    #: Where the control documents come from: course_builder/schemas/<this>/.
    schema_edition = "scorm12"

    def extra_files(self, course: Course, files: list[str]) -> dict[str, bytes]:
        manifest = self.manifest(course, files)
        documents = control_documents(self.schema_edition, tuple(schema_locations(manifest)))
        return {"imsmanifest.xml": serialize(manifest), "metadata.xml": self.metadata(course),
                **documents}

    def manifest(self, course: Course, files: list[str]) -> etree._Element:
        config = course.config
        E = ElementMaker(namespace=IMSCP, nsmap={None: IMSCP, "adlcp": ADLCP, "xsi": XSI})
        A = ElementMaker(namespace=ADLCP)
        root = E.manifest(
            E.metadata(E.schema("ADL SCORM"), E.schemaversion("1.2"),
                       A.location("metadata.xml")),
            E.organizations(
                E.organization(
                    E.title(config.title),
                    E.item(E.title(config.title), identifier="ITEM-1", identifierref="RES-1",
                           isvisible="true"),
                    identifier="ORG-1",
                ),
                default="ORG-1",
            ),
            E.resources(
                E.resource(
                    *[E.file(href=path) for path in sorted([*files, "metadata.xml"])],
                    identifier="RES-1", type="webcontent", href=self.launch_file,
                    **{f"{{{ADLCP}}}scormtype": "sco"},
                ),
            ),
            identifier=manifest_identifier(course),
            version=config.version[:20],
        )
        root.set(f"{{{XSI}}}schemaLocation",
                 f"{IMSCP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd "
                 f"{ADLCP} adlcp_rootv1p2.xsd")
        return root

    def metadata(self, course: Course) -> bytes:
        """IMS Metadata 1.2.1 (LOM) kept in its own file, referenced by adlcp:location."""
        config = course.config
        M = ElementMaker(namespace=IMSMD, nsmap={None: IMSMD})

        def langstring(text: str):  # type: ignore[no-untyped-def]
            return M.langstring(text, **{"{http://www.w3.org/XML/1998/namespace}lang":
                                         lang_of(text, config.language)})

        general = M.general(
            M.identifier(package_iri(course)),
            M.title(langstring(config.title)),
            M.language(config.language),
            M.description(langstring(config.description or config.title)),
            *[M.keyword(langstring(k)) for k in config.keywords],
        )
        parts = [general, M.lifecycle(M.version(langstring(config.version)))]
        parts.append(M.metametadata(M.metadatascheme("ADL SCORM 1.2")))
        if config.duration:
            parts.append(M.educational(M.typicallearningtime(M.datetime(config.duration))))
        return serialize(M.lom(*parts))
