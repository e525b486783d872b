"""User-facing text in French and English: ``--lang``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""

from __future__ import annotations

import os

CATALOG: dict[str, tuple[str, str]] = {
    # key: (English, French)
    "error": ("Error", "Erreur"),
    "refused": ("Refused", "Refusé"),
    "nothing_written": ("Nothing was written.", "Rien n'a été enregistré."),
    "council_added": ("Council {id} added ({definition}).", "Assemblée {id} ajoutée ({definition})."),
    "members_added": ("{count} member(s) added to {council}.", "{count} membre(s) ajouté(s) à {council}."),
    "session_added": ("Session {id}", "Séance {id}"),
    "act_added": ("Act {id}", "Acte {id}"),
    "convened": ("{count} act(s) convened for {session}.", "{count} acte(s) convoqué(s) pour la séance {session}."),
    "opened": (
        "Session {session} open: {count} act(s) in session.",
        "Séance {session} ouverte : {count} acte(s) en séance.",
    ),
    "moved": ("{id}: {from_state} → {to_state}", "{id} : {from_state} → {to_state}"),
    "executory_on": ("executory on {date}", "exécutoire le {date}"),
    "rule": ("Rule", "Règle"),
    "article": ("Article", "Article"),
    "verdict": ("Verdict", "Verdict"),
    "figures": ("Figures", "Chiffres"),
    "passed": ("passed", "respectée"),
    "failed": ("failed", "non respectée"),
    "overridden": ("OVERRIDDEN", "PASSÉE OUTRE"),
    "state": ("State", "État"),
    "next": ("Next step", "Étape suivante"),
    "subject": ("Subject", "Objet"),
    "act": ("Act", "Acte"),
    "number": ("Number", "Numéro"),
    "session": ("Session", "Séance"),
    "legal_date": ("Legal date", "Date légale"),
    "recorded_at": ("Recorded at", "Enregistré le"),
    "actor": ("Actor", "Auteur"),
    "transition": ("Transition", "Transition"),
    "rules": ("Rules", "Règles"),
    "history_of": ("History of {id}", "Historique de {id}"),
    "status_title": ("Acts and their next steps", "Actes et étapes suivantes"),
    "definitions_title": ("Workflow definitions", "Définitions de procédure"),
    "name": ("Name", "Nom"),
    "kinds": ("Kinds", "Types"),
    "title": ("Title", "Intitulé"),
    "states": ("States", "États"),
    "parameters": ("Parameters", "Paramètres"),
    "vote": ("Vote", "Vote"),
    "posted_on": ("Posted on", "Publié le"),
    "filed_on": ("Filed on", "Transmis le"),
    "executory": ("Executory on", "Exécutoire le"),
    "irregular": ("IRREGULAR: a rule was overridden", "IRRÉGULIER : une règle a été passée outre"),
    "no_acts": ("No act.", "Aucun acte."),
    "demo_exists": (
        "The example council '{id}' already exists in {db}; here is its act again.",
        "L'assemblée d'exemple « {id} » existe déjà dans {db} ; voici à nouveau son acte.",
    ),
    "demo_db": ("Database: {db}", "Base de données : {db}"),
    "interrupted": (
        "Interrupted; nothing was written by the unfinished step.",
        "Interrompu ; l'étape inachevée n'a rien enregistré.",
    ),
    # formats (export, import, extract)
    "written": ("Written: {path}", "Écrit : {path}"),
    "scdl_omitted": ("Not exported: {id}: {reasons}", "Non exporté : {id} : {reasons}"),
    "import_progress": ("Importing {file}", "Import de {file}"),
    "import_refused_line": ("line {line} ({number}) refused: {reasons}", "ligne {line} ({number}) refusée : {reasons}"),
    "import_summary": (
        "{file}: {rows} rows read, {imported} imported, {skipped} already there, {refused} refused, "
        "{warnings} warning(s); {blank} blank line(s) skipped ({seconds} s, {rate} rows/s).",
        "{file} : {rows} lignes lues, {imported} importées, {skipped} déjà présentes, {refused} refusées, "
        "{warnings} avertissement(s) ; {blank} ligne(s) vide(s) ignorée(s) ({seconds} s, {rate} lignes/s).",
    ),
    "import_read_as": (
        "{file}: read as {encoding}, separator {separator}.",
        "{file} : lu en {encoding}, séparateur {separator}.",
    ),
    "classification_loaded": (
        "{council}: classification of {date} loaded from {file} ({count} matières).",
        "{council} : classification du {date} chargée depuis {file} ({count} matières).",
    ),
    "classification_unchanged": (
        "{council}: {file} is already its classification (of {date}); nothing recorded.",
        "{council} : {file} est déjà sa classification (du {date}) ; rien d'enregistré.",
    ),
    "ar_filed": ("{file}: {act} filed", "{file} : {act} transmis"),
    "ar_already": (
        "{file}: {act} already filed with this acknowledgement",
        "{file} : {act} déjà transmis avec cet accusé",
    ),
    "ar_ignored": ("{file}: ignored, {reason}", "{file} : ignoré, {reason}"),
    "ar_refused": ("{file}: refused: {reason}", "{file} : refusé : {reason}"),
    "ar_summary": (
        "{folder}: {filed} filed, {already} already filed, {ignored} ignored, {refused} refused.",
        "{folder} : {filed} transmis, {already} déjà transmis, {ignored} ignorés, {refused} refusés.",
    ),
    "import_file_warning": ("warning: {reason}", "avertissement : {reason}"),
    "import_warned_line": (
        "line {line} ({number}) kept as published: {reasons}",
        "ligne {line} ({number}) gardée telle que publiée : {reasons}",
    ),
    # audit
    "as_of": ("as of {date}", "au {date}"),
    "as_of_legal": ("state given the legal dates of its steps", "état d'après les dates légales des étapes"),
    "as_of_recorded": ("state given the steps recorded by then", "état d'après les étapes alors enregistrées"),
    "findings": ("Findings", "Constats"),
    "finding": ("Finding", "Constat"),
    "kind": ("Kind", "Nature"),
    "event": ("Event", "Événement"),
    "council": ("Council", "Assemblée"),
    "events": ("Events", "Événements"),
    "head": ("Head", "Tête"),
    "chain": ("Chain", "Chaîne"),
    "merkle_root": ("Merkle root", "Racine de Merkle"),
    "verifying": ("Verifying the history", "Vérification de l'historique"),
    "verify_title": ("Hash chain of each council", "Chaîne d'empreintes de chaque assemblée"),
    "audit_ok": (
        "The history verifies: {events} events, {acts} acts replayed.",
        "L'historique se vérifie : {events} événements, {acts} actes rejoués.",
    ),
    "audit_failed": (
        "The history does NOT verify ({events} events, {acts} acts).",
        "L'historique NE se vérifie PAS ({events} événements, {acts} actes).",
    ),
    "extends": (
        "{council}: today's {events} events extend the {certified} certified, without rewriting them.",
        "{council} : les {events} événements d'aujourd'hui prolongent les {certified} certifiés, sans les réécrire.",
    ),
    "checkpoint_title": ("Checkpoint taken {date} by {actor}", "Point de contrôle pris le {date} par {actor}"),
    "checkpoint_written": (
        "Checkpoint written to {path}: publish it or send it.",
        "Point de contrôle écrit dans {path} : publiez-le ou transmettez-le.",
    ),
    "proof_written": (
        "Proof of {count} event(s) against the tree of {size} events (root {root}) written to {path}.",
        "Preuve de {count} événement(s) dans l'arbre de {size} événements (racine {root}) écrite dans {path}.",
    ),
    "proof_title": ("Proof for {act} (tree of {size} events)", "Preuve pour {act} (arbre de {size} événements)"),
    "proof_ok": (
        "The proof holds: every event belongs to the tree of root {root}.",
        "La preuve tient : chaque événement appartient à l'arbre de racine {root}.",
    ),
    "proof_failed": ("The proof does NOT hold (root {root}).", "La preuve NE tient PAS (racine {root})."),
    "log_title": ("History across acts", "Historique de tous les actes"),
    "log_more": (
        "{count} more event(s): use --limit 0, or --json.",
        "{count} événement(s) de plus : utilisez --limit 0, ou --json.",
    ),
    "no_events": ("No event.", "Aucun événement."),
    "exported": ("{count} event(s) exported to {path}.", "{count} événement(s) exporté(s) dans {path}."),
    "report_title": ("Audit findings — {scope}{year}", "Constats d'audit — {scope}{year}"),
    "report_summary": ("{acts} act(s) examined: {summary}.", "{acts} acte(s) examiné(s) : {summary}."),
    "no_findings": ("no finding", "aucun constat"),
}

TRIGGER_HINTS: dict[str, tuple[str, str]] = {
    "convene": ("delib session convene SESSION --on DATE", "delib session convene SÉANCE --on DATE"),
    "open": ("delib session open SESSION --secretary NAME", "delib session open SÉANCE --secretary NOM"),
    "vote": (
        "delib act vote ACT --for N --against N --abstain N",
        "delib act vote ACTE --for N --against N --abstain N",
    ),
    "post": ("delib act post ACT --on DATE", "delib act post ACTE --on DATE"),
    "file": ("delib act file ACT --on DATE", "delib act file ACTE --on DATE"),
}

STATE_NAMES_FR = {
    "draft": "projet",
    "convened": "convoqué",
    "in_session": "en séance",
    "adopted": "adopté",
    "rejected": "rejeté",
    "posted": "publié",
    "filed": "transmis",
    "executory": "exécutoire",
}


def detect_lang(explicit: str | None = None) -> str:
    if explicit:
        return "fr" if explicit.lower().startswith("fr") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def t(lang: str, key: str, **values: object) -> str:
    en, fr = CATALOG[key]
    return (fr if lang == "fr" else en).format(**values)


def state_name(lang: str, state: str | None) -> str:
    if state is None:
        return "—"
    return STATE_NAMES_FR.get(state, state) if lang == "fr" else state


# States after the vote and around the agenda (issue 3, items 8-9).
STATE_NAMES_FR.update(
    {
        "postponed": "reporté",
        "removed_from_agenda": "retiré de l'ordre du jour",
        "contested": "contesté",
        "definitive": "définitif",
        "withdrawn": "retiré",
        "annulled": "annulé",
    }
)

# Sessions, urgency, quorum failure, proxies, register (issue 3, items 2-7).
CATALOG.update(
    {
        "quorum_failed": (
            "Session {session}: quorum not reached, recorded; {count} act(s) stay convened "
            "(delib session reconvene {session} --on DATE --date NEW_DATE).",
            "Séance {session} : quorum non atteint, enregistré ; {count} acte(s) restent convoqués "
            "(delib session reconvene {session} --on DATE --date NOUVELLE_DATE).",
        ),
        "adjourned": (
            "Session {session}: urgency refused, {count} act(s) postponed.",
            "Séance {session} : urgence refusée, {count} acte(s) renvoyé(s).",
        ),
        "reconvened": (
            "{count} act(s) convened again for {session}.",
            "{count} acte(s) convoqué(s) à nouveau pour la séance {session}.",
        ),
        "proxy_recorded": (
            "Proxy #{id} recorded: {giver} → {holder}, from {written_on}, {sessions} session(s){illness}.",
            "Pouvoir n° {id} enregistré : {giver} → {holder}, du {written_on}, {sessions} séance(s){illness}.",
        ),
        "illness": (" (illness)", " (maladie)"),
        "session_held_at": ("Held at", "Tenue le"),
        "status": ("Status", "Statut"),
        "convocation": ("Convocation", "Convocation"),
        "urgent": ("urgent", "urgence"),
        "urgency": ("Urgency", "Urgence"),
        "urgency_accepted": ("accepted by the council", "admise par le conseil"),
        "urgency_rejected": ("refused by the council: items postponed", "refusée par le conseil : affaires renvoyées"),
        "second_convocation": (
            "Second convocation (no quorum condition) after",
            "Seconde convocation (sans condition de quorum) après",
        ),
        "reconvened_as": ("Convened again as", "Convoquée à nouveau comme"),
        "present": ("Present", "Présents"),
        "proxy": ("Proxy", "Pouvoir"),
        "proxy_lapsed": ("Proxy lapsed (holder absent)", "Pouvoir caduc (mandataire absent)"),
        "secretary": ("Secretary", "Secrétaire"),
        "list_posted_on": ("List of deliberations posted on", "Liste des délibérations publiée le"),
        "minutes_approved_at": ("Minutes approved at", "Procès-verbal arrêté à"),
        "minutes_online_on": ("Minutes online on", "Procès-verbal en ligne le"),
        "session_irregular": (
            "IRREGULAR: a rule was overridden in this session",
            "IRRÉGULIÈRE : une règle a été passée outre dans cette séance",
        ),
        "session_status_planned": ("planned", "prévue"),
        "session_status_convened": ("convened", "convoquée"),
        "session_status_open": ("open", "ouverte"),
        "session_status_quorum_failed": ("quorum not reached", "quorum non atteint"),
        "session_status_adjourned": ("adjourned (urgency refused)", "ajournée (urgence refusée)"),
        "session_status_reconvened": ("convened again", "convoquée à nouveau"),
        "proxies_title": ("Proxies recorded for {council}", "Pouvoirs enregistrés pour {council}"),
        "giver": ("Giver", "Mandant"),
        "holder": ("Holder", "Mandataire"),
        "written_on": ("Dated", "Daté du"),
        "sessions_covered": ("Sessions covered", "Séances couvertes"),
    }
)
TRIGGER_HINTS.update(
    {
        "quorum_failure": (
            "delib session open SESSION --record-quorum-failure",
            "delib session open SÉANCE --record-quorum-failure",
        ),
        "reconvene": (
            "delib session reconvene SESSION --on DATE --date NEW_DATE",
            "delib session reconvene SÉANCE --on DATE --date NOUVELLE_DATE",
        ),
    }
)

TRIGGER_HINTS.update(
    {
        "postpone": ("delib act postpone ACT --to SESSION", "delib act postpone ACTE --to SÉANCE"),
        "remove": ("delib act remove ACT", "delib act remove ACTE"),
        "request": (
            "delib act request ACT --on DATE --by prefect|third-party --kind documents|gracieux",
            "delib act request ACTE --on DATE --by prefect|third-party --kind documents|gracieux",
        ),
        "answer": ("delib act answer ACT --on DATE", "delib act answer ACTE --on DATE"),
        "contest": (
            "delib act contest ACT --on DATE --by prefect|third-party",
            "delib act contest ACTE --on DATE --by prefect|third-party",
        ),
        "uphold": ("delib act uphold ACT --on DATE --ruling REF", "delib act uphold ACTE --on DATE --ruling RÉF"),
        "annul": ("delib act annul ACT --on DATE --ruling REF", "delib act annul ACTE --on DATE --ruling RÉF"),
        "finalize": ("delib act finalize ACT --on DATE", "delib act finalize ACTE --on DATE"),
        "withdraw": (
            "delib act withdraw ACT --on DATE --grounds TEXT",
            "delib act withdraw ACTE --on DATE --grounds TEXTE",
        ),
    }
)

CATALOG.update(
    {
        "replaced": ("Replaced the existing file {path}.", "Le fichier existant {path} a été remplacé."),
        "signed_checkpoint_written": (
            "Signed checkpoint of {origin} ({size} events) written to {path}: publish it, have it cosigned.",
            "Point de contrôle signé de {origin} ({size} événements) écrit dans {path} : "
            "publiez-le, faites-le cosigner.",
        ),
        "key_generated": (
            "Private key written to {path} (mode 0600; keep it secret). Above: the public key, for --trust.",
            "Clé privée écrite dans {path} (mode 0600 ; gardez-la secrète). Ci-dessus : la clé publique, pour --trust.",
        ),
        "cosigned": ("Cosigned checkpoint written to {path}.", "Point de contrôle cosigné écrit dans {path}."),
        "proof_alone": (
            "Without --checkpoint, this proof proves nothing on its own: it only shows that its events lead "
            "to the root it carries. Compare that root with a checkpoint the council published or signed.",
            "Sans --checkpoint, cette preuve ne prouve rien à elle seule : elle montre seulement que ses "
            "événements mènent à la racine qu'elle porte. Comparez cette racine à un point de contrôle "
            "publié ou signé par l'assemblée.",
        ),
    }
)
