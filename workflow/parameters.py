"""The law's parameters as typed models: what a definition gives each rule and each deadline.

The figures of the law (delays in days or months, the articles cited) are written only in the
definitions (``definitions/*.yaml``); the code names the parameters each rule and each deadline
reads, with their types, and :mod:`workflow.definition` validates every parameter set against
them when it loads a file, so that ``min_clear_days: three`` is refused on load, naming the file
and the key, rather than failing at the first convocation.

No model refuses a key it does not read (``extra="ignore"``): one parameter set may serve several
rules (``$convocation`` for ``convocation_delay`` and ``urgency_ruled``); the loader
checks instead that each key of a set is read by at least one of the rules or deadlines that use
it (a misspelt key is refused).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Article = str
Days = int
Months = int


class RuleParams(BaseModel):
    """The parameters of a rule that reads none."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Cited(RuleParams):
    """A rule whose verdicts cite one reference (``article``)."""

    article: Article = Field(min_length=1)


class Convocation(Cited):
    """The convocation delay in clear days, and under urgency (≥ 1 clear day)."""

    min_clear_days: Days = Field(ge=0)
    urgent_min_clear_days: Days = Field(ge=1)
    urgent_article: Article | None = None


class UrgencyRuling(Cited):
    """The council rules on the urgency at the opening."""

    urgent_article: Article | None = None


class SecondConvocation(Cited):
    """The second convocation after a quorum failure: clear days counted from the new
    convocation, or from the failed meeting (``counted_from: failed_session``)."""

    min_clear_days: Days = Field(ge=0)
    counted_from: Literal["convocation", "failed_session"] = "convocation"


class Quorum(Cited):
    """The quorum; ``count_recused: true`` would count recused members as present."""

    count_recused: bool = False


class VoteLaw(Cited):
    """The outcome of a vote; ``account_article``: the rule that adopts a *compte administratif*
    unless a majority votes against it (cited instead of ``article`` for such an act)."""

    account_article: Article | None = None


class ElectionLaw(Cited):
    """Appointments and elections by the council: the rounds at which an absolute majority of the
    votes cast is needed, the last round (a relative majority), who wins a tie."""

    absolute_majority_rounds: int = Field(ge=0)
    max_rounds: int = Field(ge=1)
    tie: Literal["eldest"] = "eldest"


class Proxies(Cited):
    """How many proxies one member present may hold."""

    max_per_holder: int = Field(ge=1)


class ProxyDuration(Cited):
    """How many consecutive sessions a proxy may cover, and whether illness lifts the limit."""

    max_consecutive_sessions: int = Field(ge=1)
    illness_exception: bool


class WithinDays(Cited):
    """A step to be done within ``max_days`` days."""

    max_days: Days = Field(ge=0)


PublicationMode = Literal["electronic", "posting", "paper"]


class Publication(Cited):
    """The modes of publication a council may use; ``default``: where it may choose among them by
    a deliberation, the mode that applies until it does (then only the mode it chose)."""

    modes: list[PublicationMode] = Field(min_length=1)
    default: PublicationMode | None = None


class Window(BaseModel):
    """A window of ``months`` months, and the article that sets it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    months: Months = Field(ge=1)
    article: Article = Field(min_length=1)


class PrefectWindow(Window):
    """The prefect's window; ``not_subject_article`` for acts not subject to transmission."""

    not_subject_article: Article = Field(min_length=1)


class Review(RuleParams):
    """The windows after an act is executory: the prefect's, third parties', and the implicit
    rejection of a request left unanswered (which restarts a window)."""

    prefect: PrefectWindow
    appeal: Window
    implicit_rejection: Window


class Withdrawal(RuleParams):
    """The bases of a withdrawal (*retrait*) and their articles; illegality within a delay."""

    illegality: Window
    fraud: Cited
    subsidy: Cited
    beneficiary_request: Cited


class TransmissionExemption(Cited):
    """The grounds on which an act is left out of transmission, with each one's reference."""

    grounds: dict[Literal["voirie", "fonction_publique"], Article] = Field(min_length=1)


class Transmission(Cited):
    """Transmission to the prefecture; individual decisions within a delay."""

    individual_decision_days: Days = Field(ge=0)


class SittingDocuments(BaseModel):
    """What the documents of a séance cite: the article of the agenda sent with the convocation,
    and whether an explanatory note of synthesis goes with it (and its article)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    agenda_article: Article = Field(min_length=1)
    synthesis_note: bool = False
    synthesis_note_article: Article | None = None


class Recording(RuleParams):
    """Not the law's: how long after its legal date a step may be recorded before the audit
    report names it as recorded after the fact (``backdated``)."""

    max_days: Days = Field(ge=0)


class Deadlines(BaseModel):
    """What the clerk's list of deadlines (``delib due``, the calendar) reads from a definition.

    Each is ``None`` when the definition has no such deadline: a deadline tied to a step or a
    transition (see :data:`workflow.definition.DEADLINE_STEPS`) exists only where the definition
    has that step (a département has no list of deliberations to post, L2121-25 being a rule of
    communes).
    """

    model_config = ConfigDict(frozen=True)
    convocation: Convocation | None = None
    list_of_deliberations: WithinDays | None = None
    minutes: Cited | None = None
    minutes_online: WithinDays | None = None
    publication: Cited | None = None
    transmission: Transmission | None = None
    review: Review | None = None
    ruling: Cited | None = None
    recording: Recording | None = None


DEADLINE_MODELS: dict[str, type[BaseModel]] = {
    "convocation": Convocation,
    "list_of_deliberations": WithinDays,
    "minutes": Cited,
    "minutes_online": WithinDays,
    "publication": Cited,
    "transmission": Transmission,
    "review": Review,
    "ruling": Cited,
    "recording": Recording,
}
