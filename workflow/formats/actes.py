"""The ACTES (@CTES) transmission metadata of one act: an ``actes:Acte`` message, XSD v1.1.

The message states the date of the decision, the council's own number, the nature code
(``CodeNatureActe`` 1..6), the matière levels (``CodeMatiere1`` … ``CodeMatiere5``, at least two),
the subject (500 characters at most), the date of the classification used, and the files sent:
the act's document and its annexes, named ``TYPE-IDACTE-1-1_N.ext`` as @CTES names them, and
``DocumentPapier`` ``N`` (no paper copy), written ``O``/``N`` as the platforms' messages write it.
The matière is checked, and the version date taken, from the council's own prefecture's
classification when it loaded one (``delib council classification``), else the shipped one. ACTES data
files are ISO-8859-1: characters outside it (``œ``, ``€``) are written as character references.
Every message is validated against the official XSD (shipped in ``workflow/data/actes/``) before it
is returned, so délib never writes a message the prefecture's platform would reject as malformed.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import PurePath
from typing import Any

from workflow.classification import ACTES_NS, NATURES, check_matiere, classification
from workflow.ctes import transmission_id
from workflow.errors import InvalidInput

INSEE_NS = "http://xml.insee.fr/schema"
XSD_RESOURCE = "data/actes/actesv1_1.xsd"
ENCODING = "ISO-8859-1"
DOCUMENT_TYPE = "99_DE"  # CodeTypePJ of the act itself (a deliberation), as in the classification
ANNEX_TYPE = "99_AU"  # "Autre document"
OBJET_MAX = 500


@dataclass(frozen=True)
class Transmission:
    """What the message describes, ready to be written."""

    id: str
    act_date: date
    number: str
    nature: str
    matiere_levels: tuple[str, ...]
    subject: str
    classification_date: str
    document: str
    annexes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def file_name(self) -> str:
        """The metadata file's own name, as @CTES names it (flux 1-1, sequence 0)."""
        return f"{self.id}-1-1_0.xml"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.act_date.isoformat(),
            "number": self.number,
            "nature": self.nature,
            "matiere": ".".join(self.matiere_levels),
            "subject": self.subject,
            "classification_date": self.classification_date,
            "document": self.document,
            "annexes": list(self.annexes),
            "file_name": self.file_name,
        }


def _q(name: str) -> str:
    return f"{{{ACTES_NS}}}{name}"


def describe(session: Any, act_id: str, *, annexes: tuple[str, ...] = ()) -> Transmission:
    """The act's transmission metadata; a missing SIREN, department or matière is an error."""
    from workflow.service.reading import get_act, get_council, get_sitting

    act = get_act(session, act_id)
    council = get_council(session, act.council_id)
    sitting = get_sitting(session, act.session_id)
    department, siren = council.department, council.siren
    if not department or not siren:
        missing = [name for name, value in (("SIREN", siren), ("department", department)) if not value]
        raise InvalidInput(
            f"The @CTES identifier needs the council's {' and '.join(missing)}; "
            f"{council.id} has none recorded (council add --siren --department).",
            f"L'identifiant @CTES exige le {' et le '.join(missing)} de l'assemblée ; "
            f"{council.id} n'en a pas (council add --siren --department).",
        )
    if not act.matiere or "." not in act.matiere:
        raise InvalidInput(
            f"{act.id} has no matière of level 2 (e.g. 8.9): ACTES requires CodeMatiere1 and CodeMatiere2.",
            f"{act.id} n'a pas de matière de niveau 2 (ex. 8.9) : ACTES exige CodeMatiere1 et CodeMatiere2.",
        )
    from workflow.service.classification import council_classification

    tree = council_classification(session, council.id) or classification()
    act_date = act.voted_on or sitting.held_at.date()
    ident = transmission_id(department, siren, act_date, act.number, act.nature)
    names = tuple(
        f"{ANNEX_TYPE}-{ident}-1-1_{n}{PurePath(a).suffix.lower() or '.pdf'}" for n, a in enumerate(annexes, start=2)
    )
    return Transmission(
        id=ident,
        act_date=act_date,
        number=act.number,
        nature=act.nature,
        matiere_levels=tuple(check_matiere(act.matiere, tree).split(".")),
        subject=act.subject,
        classification_date=tree.date,
        document=f"{DOCUMENT_TYPE}-{ident}-1-1_1.pdf",
        annexes=names,
    )


def to_xml(transmission: Transmission) -> bytes:
    """The ``actes:Acte`` message in ISO-8859-1, validated against the XSD."""
    if len(transmission.subject) > OBJET_MAX:
        raise InvalidInput(
            f"The subject has {len(transmission.subject)} characters; ACTES allows {OBJET_MAX}.",
            f"L'objet compte {len(transmission.subject)} caractères ; ACTES en admet {OBJET_MAX}.",
        )
    ET.register_namespace("actes", ACTES_NS)
    ET.register_namespace("insee", INSEE_NS)
    root = ET.Element(
        _q("Acte"),
        {
            _q("Date"): transmission.act_date.isoformat(),
            _q("NumeroInterne"): transmission.number,
            _q("CodeNatureActe"): str(NATURES[transmission.nature][0]),
        },
    )
    for level, code in enumerate(transmission.matiere_levels, start=1):
        ET.SubElement(root, _q(f"CodeMatiere{level}"), {_q("CodeMatiere"): code})
    ET.SubElement(root, _q("Objet")).text = transmission.subject
    ET.SubElement(root, _q("ClassificationDateVersion")).text = transmission.classification_date
    ET.SubElement(ET.SubElement(root, _q("Document")), _q("NomFichier")).text = transmission.document
    annexes = ET.SubElement(root, _q("Annexes"), {_q("Nombre"): str(len(transmission.annexes))})
    for name in transmission.annexes:
        ET.SubElement(ET.SubElement(annexes, _q("Annexe")), _q("NomFichier")).text = name
    ET.SubElement(root, _q("DocumentPapier")).text = "N"  # no paper copy sent: "O"/"N" as @CTES writes it
    ET.indent(root)
    content = ET.tostring(root, encoding=ENCODING, xml_declaration=True)
    validate(content)
    return content


@cache
def _schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(resources.files("workflow").joinpath(XSD_RESOURCE)))


def validate(content: bytes) -> None:
    """Raise :class:`InvalidInput` if ``content`` does not conform to actesv1_1.xsd."""
    errors = list(_schema().iter_errors(io.BytesIO(content)))
    if errors:
        detail = errors[0].reason or str(errors[0])
        raise InvalidInput(
            f"The ACTES message does not conform to actesv1_1.xsd: {detail}",
            f"Le message ACTES n'est pas conforme à actesv1_1.xsd : {detail}",
        )


def export(session: Any, act_id: str, *, annexes: tuple[str, ...] = ()) -> tuple[Transmission, bytes]:
    """The act's transmission metadata and its ACTES XML."""
    transmission = describe(session, act_id, annexes=annexes)
    return transmission, to_xml(transmission)
