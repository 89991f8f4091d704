"""The README's "Driving the engine" example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _driving_the_engine_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Driving the engine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section has exactly one python block"
    return blocks[0]


def test_readme_driving_the_engine_example_runs() -> None:
    code = _driving_the_engine_block()
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(compile(code, str(README), "exec"), namespace)
    snap = namespace["snap"]
    assert getattr(snap, "speed_cmd_kmh", 0.0) > 0.0
