"""Load the shared reference vectors (../shared/reference/vectors.json beside the repo)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from tests.conftest import REFERENCE_DIR

VECTORS_PATH = REFERENCE_DIR / "vectors.json"


@cache
def all_vectors() -> tuple[dict[str, Any], ...]:
    with VECTORS_PATH.open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert isinstance(data, list) and data, "vectors.json must hold a non-empty list"
    return tuple(data)


def vectors(prefix: str) -> list[dict[str, Any]]:
    """Vectors whose ``characteristic`` starts with ``prefix``."""
    return [v for v in all_vectors() if v["characteristic"].startswith(prefix)]


def hex_bytes(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", " "))


def vector_id(v: dict[str, Any]) -> str:
    return f"{v['characteristic'].split()[0]}:{v['hex']}"
