"""délib's engine: the law of deliberations as rules, definitions as data, a history that cannot be rewritten.

Layers, from the inside out:
- ``workflow.dates``, ``workflow.facts``, ``workflow.verdict``, ``workflow.rules``: the pure domain core
  (rules are plain functions of facts returning verdicts; no I/O);
- ``workflow.definition``: loading and validating the declarative definitions in ``definitions/``;
- ``workflow.engine``: builds one state machine per definition and applies triggers under the rules;
- ``workflow.store``: persistence (SQLModel tables, the database, the append-only hash-chained history);
- ``workflow.service``: the use cases the CLI calls (add a council, convene a session, vote an act...).
"""
