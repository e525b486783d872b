"""The CLI tests never read nor write the user's configuration (the default council)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DELIB_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DELIB_COUNCIL", raising=False)
