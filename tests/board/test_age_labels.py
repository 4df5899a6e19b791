"""One way to write an age on every screen: domain age_label, used by the picking list and
the settings pages (state.clock.ago) and mirrored by the board's browser code, which ticks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dashboard.domain.board import age_label
from dashboard.state.clock import ago

KANBAN = Path(__file__).resolve().parents[2] / "assets" / "kanban" / "kanban.jsx"
SECONDS = [0, 5, 59, 60, 125, 3599, 3600, 3 * 3600 + 20 * 60, 86399, 86400,
           2 * 86400 + 4 * 3600 + 59, 40 * 86400 + 3600, -3]


def test_how_long_ago_is_written_as_the_board_writes_ages():
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert [ago(now - timedelta(seconds=s), now) for s in SECONDS] == \
        [age_label(s) for s in SECONDS]
    assert ago(now - timedelta(seconds=45), now) == "45s"
    assert ago(now - timedelta(hours=3, minutes=20), now) == "3h 20m"
    assert ago(None) == ""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_board_in_the_browser_writes_ages_as_age_label_does():
    source = re.search(r"export function ageLabel\(ms\) \{.*?\n\}\n", KANBAN.read_text(),
                       re.S).group(0).removeprefix("export ")
    script = f"{source}\nconsole.log(JSON.stringify({json.dumps(SECONDS)}.map(s => ageLabel(s * 1000))));"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [age_label(s) for s in SECONDS]
