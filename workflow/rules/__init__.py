"""The rules of law, one module per concept; importing this package registers them all in ``RULES``."""

from workflow.rules import chronology, convocation, proxies, quorum, register, vote  # noqa: F401
from workflow.rules.registry import RULES, RuleSpec

__all__ = ["RULES", "RuleSpec"]
