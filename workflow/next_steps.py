"""The next steps of each state of each shipped definition, remembered between runs.

``delib status`` shows, beside each act, the triggers its definition allows from its state
(``Definition.triggers_from``). Loading the definitions validates their YAML with pydantic, which
costs a read command more than its reading; the answer only changes with the files. So the table
``{definition: {state: [trigger, ...]}}`` is computed from the validated definitions once, written
to the user's cache folder under the SHA-256 of the definition files, and read back as JSON by the
next runs. A missing, unreadable or stale file is simply computed again (and the definitions
validated, with their own errors).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

Table = dict[str, dict[str, list[str]]]


def _fingerprint() -> str:
    digest = hashlib.sha256()
    folder = Path(str(resources.files("definitions")))
    for path in sorted(folder.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _cache_file(fingerprint: str) -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("delib", appauthor=False)) / f"next-steps-{fingerprint}.json"


def compute() -> Table:
    """The table, from the validated definitions."""
    from workflow.definition import load_all

    return {
        name: {state: definition.triggers_from(state) for state in definition.states}
        for name, definition in load_all().items()
    }


def next_steps() -> Table:
    """The table, read from the cache when the definition files are those it was computed from."""
    try:
        path = _cache_file(_fingerprint())
        table = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(table, dict):
            return table
    except (OSError, ValueError):
        pass
    table = compute()
    try:
        from workflow.files import write_atomically

        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(table, sort_keys=True), force=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is computed next time
        pass
    return table
