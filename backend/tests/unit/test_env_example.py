"""`.env.example` documents every setting."""

from __future__ import annotations

import re
from pathlib import Path

from docproc.config import Settings, _env_name

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_env_example_names_every_setting() -> None:
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    expected = {_env_name((name,)) for name in Settings.model_fields}
    assert expected - documented == set(), "add these to backend/.env.example"
