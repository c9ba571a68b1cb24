"""Example answers shown in the OpenAPI schema, kept as data in examples.json.

The examples are answers of the API over the invented test documents (tests/factory.py).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

EXAMPLES_PATH = Path(__file__).parent / "examples.json"


@lru_cache(maxsize=1)
def examples() -> dict[str, Any]:
    """Example response bodies by name."""
    return json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))


def ok(name: str) -> dict[int | str, dict[str, Any]]:
    """An OpenAPI ``responses`` entry for 200 carrying the named example."""
    return {200: {"content": {"application/json": {"example": examples()[name]}}}}
