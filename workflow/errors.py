"""The domain's exceptions: each carries a bilingual, one-paragraph message and an exit code.

The CLI turns any :class:`DelibError` into that message and exit code; nothing else reaches the user
as a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflow.verdict import Verdict


class DelibError(Exception):
    """Base of every error délib reports to a user."""

    exit_code = 1

    def __init__(self, en: str, fr: str | None = None) -> None:
        super().__init__(en)
        self.messages = {"en": en, "fr": fr or en}

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang, self.messages["en"])


class InvalidInput(DelibError):
    """The user gave something malformed (a date, a count, a name, an option)."""

    exit_code = 2


class NotFound(DelibError):
    """An act, session, council or member that does not exist."""

    exit_code = 3


def unknown_council(council_id: str) -> NotFound:
    return NotFound(f"No council '{council_id}'.", f"Aucune assemblée « {council_id} ».")


def unknown_act(act_id: str) -> NotFound:
    return NotFound(
        f"No act '{act_id}' (ids look like COUNCIL/2024121302).",
        f"Aucun acte « {act_id} » (les identifiants sont de la forme ASSEMBLÉE/2024121302).",
    )


class RuleRefused(DelibError):
    """A transition refused by one or more rules of law; nothing was written."""

    exit_code = 4

    def __init__(self, trigger: str, act: str, verdicts: list[Verdict]) -> None:
        self.trigger = trigger
        self.act = act
        self.verdicts = verdicts
        failed = [v for v in verdicts if not v.passed and not v.overridden]
        en = f"Refused: '{trigger}' on {act}. " + " ".join(
            f"[{v.rule}, {v.article}] {v.message('en')}." for v in failed
        )
        fr = f"Refusé : « {trigger} » sur {act}. " + " ".join(
            f"[{v.rule}, {v.article}] {v.message('fr')}." for v in failed
        )
        super().__init__(en + " Nothing was written.", fr + " Rien n'a été enregistré.")

    @property
    def failed(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.passed and not v.overridden]


class InvalidTransition(DelibError):
    """A trigger that the act's current state does not allow (e.g. voting a draft)."""

    exit_code = 5


class DefinitionError(DelibError):
    """A workflow definition file that is malformed or inconsistent."""

    exit_code = 6


class StoreError(DelibError):
    """The database cannot be opened, read or written."""

    exit_code = 7


class ConcurrentChange(DelibError):
    """Another clerk changed the same act meanwhile; nothing was written."""

    exit_code = 8


class IntegrityFailure(DelibError):
    """The history does not verify (audit)."""

    exit_code = 9
