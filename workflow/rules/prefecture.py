"""Transmission to the prefecture: the @CTES acknowledgement, the classification, the exemptions.

Acts listed in CGCT art. L2131-2 are executory once published and transmitted; the others on
publication alone (L2131-1, L2131-3). Transmission by @CTES is acknowledged with the act's
identifier ``DEPT-SIREN-YYYYMMDD-NUMBER-NATURE`` (ACTES specification, arrêté of 26 October 2005).
"""

from __future__ import annotations

from workflow.classification import NATURES, classification
from workflow.ctes import PART_NAMES_FR, ack_mismatches, parse_transmission_id
from workflow.errors import InvalidInput
from workflow.facts import Facts
from workflow.parameters import Cited, TransmissionExemption
from workflow.rules.registry import rule
from workflow.verdict import Verdict, long_date, verdict

# The deliberations L2131-2 1° leaves out of the obligation to transmit (their references are
# the definition's: ``transmission_exemption: {grounds: {voirie: ..., fonction_publique: ...}}``).
EXEMPTIONS: dict[str, tuple[str, str]] = {
    # ground: (English, French)
    "voirie": (
        "road and parking charges, classification, alignment and width of communal roads",
        "tarifs des droits de voirie et de stationnement, classement, alignement et élargissement des voies communales",
    ),
    "fonction_publique": (
        "promotion rates of civil servants, membership of a management centre and its optional missions",
        "taux de promotion des fonctionnaires, affiliation au centre de gestion et ses missions facultatives",
    ),
}


@rule("ack_matches_act", Cited)
def ack_matches_act(facts: Facts, params: Cited) -> Verdict:
    """The @CTES acknowledgement identifier is well formed and each part is the act's own.

    Department and SIREN are compared when the council has them; the date is the session's (the
    date of a deliberation); the number and the nature are the act's. Without an identifier
    (paper transmission) there is nothing to compare.
    """
    ref = params.article
    ack = facts.extra.get("ack")
    if not ack:
        return verdict(
            "ack_matches_act",
            ref,
            True,
            "no @CTES identifier given (paper transmission): nothing to compare",
            "aucun identifiant @CTES (transmission papier) : rien à comparer",
            ack="—",
        )
    try:
        parsed = parse_transmission_id(str(ack))
    except InvalidInput as exc:
        return Verdict(
            rule="ack_matches_act",
            article=ref,
            passed=False,
            figures={"ack": str(ack)},
            messages={"en": exc.message("en").rstrip("."), "fr": exc.message("fr").rstrip(".")},
        )
    assert facts.session_date is not None
    mismatches = ack_mismatches(
        parsed,
        department=facts.extra.get("department"),
        siren=facts.extra.get("siren"),
        act_date=facts.session_date,
        number=str(facts.extra.get("number", "")),
        nature=str(facts.extra.get("nature", "DE")),
    )
    diff_en = "; ".join(f"{m.part} {m.found} ≠ {m.expected}" for m in mismatches)
    diff_fr = "; ".join(f"{PART_NAMES_FR[m.part]} {m.found} ≠ {m.expected}" for m in mismatches)
    return verdict(
        "ack_matches_act",
        ref,
        not mismatches,
        "@CTES identifier {ack} matches the act"
        if not mismatches
        else "@CTES identifier {ack} is not this act's: {diff_en}",
        "l'identifiant @CTES {ack} correspond à l'acte"
        if not mismatches
        else "l'identifiant @CTES {ack} n'est pas celui de l'acte : {diff_fr}",
        ack=str(parsed),
        diff_en=diff_en,
        diff_fr=diff_fr,
        mismatched=[m.part for m in mismatches],
    )


@rule("actes_classification", Cited)
def actes_classification(facts: Facts, params: Cited) -> Verdict:
    """The nature is one of the six ACTES natures and the matière, when given, is in the
    classification with at least its two national levels (CodeMatiere1 and CodeMatiere2 are
    required by the schema). The classification is the council's own prefecture's when it loaded
    one (``classification_date`` and the matière's ``matiere_label`` in the facts), else the one
    shipped with délib."""
    ref = params.article
    nature = str(facts.extra.get("nature", "DE")).upper()
    matiere = facts.extra.get("matiere")
    if "classification_date" in facts.extra:
        version, known = str(facts.extra["classification_date"]), facts.extra.get("matiere_label") is not None
    else:
        tree = classification()
        version, known = tree.date, matiere in tree.matieres
    problems_en, problems_fr = [], []
    if nature not in NATURES:
        problems_en.append(f"nature {nature} is not one of {', '.join(NATURES)}")
        problems_fr.append(f"la nature {nature} n'est pas l'une de {', '.join(NATURES)}")
    if matiere:
        if not known:
            problems_en.append(f"matière {matiere} is not in the classification of {long_date(version, 'en')}")
            problems_fr.append(f"la matière {matiere} n'est pas dans la classification du {long_date(version, 'fr')}")
        elif "." not in matiere:
            problems_en.append(f"matière {matiere} needs its second level (e.g. {matiere}.1)")
            problems_fr.append(f"la matière {matiere} exige son second niveau (ex. {matiere}.1)")
    passed = not problems_en
    return verdict(
        "actes_classification",
        ref,
        passed,
        "nature {nature}, matière {matiere}: in the classification of {version:date}" if passed else "{problems_en}",
        "nature {nature}, matière {matiere} : dans la classification du {version:date}" if passed else "{problems_fr}",
        nature=nature,
        matiere=matiere or "—",
        version=version,
        problems_en="; ".join(problems_en),
        problems_fr="; ".join(problems_fr),
    )


@rule("transmission_exemption", TransmissionExemption)
def transmission_exemption(facts: Facts, params: TransmissionExemption) -> Verdict:
    """An act executory on publication alone must be one L2131-2 leaves out of transmission.

    The most protective reading: an act is subject to transmission unless the clerk names the
    ground of its exemption (``voirie``: L2131-2 1° a; ``fonction_publique``: 1° b), and only a
    deliberation (nature DE) can claim them.
    """
    ground = facts.extra.get("transmission_exemption")
    nature = str(facts.extra.get("nature", "DE")).upper()
    grounds: dict[str, str] = {str(g): ref for g, ref in params.grounds.items()}
    exemption = EXEMPTIONS.get(ground) if isinstance(ground, str) and ground in grounds else None
    known = exemption is not None
    passed = known and nature == "DE"
    reference = grounds[str(ground)] if exemption is not None else params.article
    if passed:
        en, fr = (
            "exempt from transmission: {label_en} ({reference})",
            ("dispensé de transmission : {label_fr} ({reference})"),
        )
    elif known:
        en = "nature {nature}: only a deliberation (DE) can claim the exemption {ground}"
        fr = "nature {nature} : seule une délibération (DE) peut invoquer la dispense {ground}"
    else:
        en = "no ground of exemption from transmission ({ground}); known: {known}"
        fr = "aucun motif de dispense de transmission ({ground}) ; connus : {known}"
    return verdict(
        "transmission_exemption",
        params.article,
        passed,
        en,
        fr,
        ground=ground or "—",
        nature=nature,
        reference=reference,
        known=", ".join(g for g in EXEMPTIONS if g in grounds),
        label_en=exemption[0] if exemption is not None else "",
        label_fr=exemption[1] if exemption is not None else "",
    )
