"""``runningroom demo --screenshot`` end to end in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from runningroom import profiles_io
from tests.conftest import REPO_ROOT
from tests.ui.test_ui_demo import SHORT


@pytest.mark.slow
def test_demo_screenshot_run_writes_pngs_and_exits(tmp_path: Path) -> None:
    template = tmp_path / "short.toml"
    profiles_io.save_template(SHORT, template)
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "runningroom_app", "demo", "--screenshot", str(out),
         "--speedup", "60", "--template", str(template)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("console.png", "patient-screen.png", "summary.png"):
        image = QImage(str(out / name))
        assert not image.isNull(), name
        assert image.width() >= 800 and image.height() >= 500
    console = QImage(str(out / "console.png"))
    assert (console.width(), console.height()) == (1366, 768)
    assert "wrote" in result.stdout


def test_gui_and_demo_subcommands_are_registered() -> None:
    from runningroom_app.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["demo", "--speedup", "30"])
    assert args.speedup == 30.0 and args.screenshot is None
    assert parser.parse_args(["gui"]).handler.__name__ == "_gui"
