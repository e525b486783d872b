"""The rules of law, one module per concept; importing this package registers them all in ``RULES``."""

from workflow.rules import (  # noqa: F401
    chronology,
    convocation,
    election,
    prefecture,
    proxies,
    quorum,
    register,
    review,
    vote,
)
from workflow.rules.registry import RULES, RuleSpec

__all__ = ["RULES", "RuleSpec"]
