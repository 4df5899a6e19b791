"""reflex.lock/ is committed exactly as Reflex writes it, so a run leaves the checkout clean.

Every `reflex run`/`export` (make run, the browser tests) renders .web/package.json from
reflex.lock/package.json on one line and copies it back; a file in another layout (bun's
indented one, after `bun add`) shows as changed after every run.
"""

from pathlib import Path

from reflex.utils import frontend_skeleton

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_package_json_is_byte_for_byte_what_reflex_writes_back(monkeypatch):
    monkeypatch.chdir(ROOT)  # Reflex reads reflex.lock/ from the working directory
    committed = (ROOT / "reflex.lock" / "package.json").read_text()
    assert frontend_skeleton._compile_package_json() == committed, (
        "commit reflex.lock/package.json as a prod run leaves it "
        "(`reflex export --frontend-only --no-zip`, then `git add reflex.lock`)"
    )
