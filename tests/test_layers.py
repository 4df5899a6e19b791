"""The domain and services layers never import Reflex (checked on the source, not the
running process, so an indirect import through a helper module is caught too)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK_FREE = [ROOT / "dashboard" / "domain", ROOT / "dashboard" / "services"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_and_services_source_never_imports_reflex():
    offenders = [
        str(p.relative_to(ROOT))
        for folder in FRAMEWORK_FREE
        for p in folder.rglob("*.py")
        if "reflex" in _imports(p)
    ]
    assert offenders == []


def test_importing_every_service_does_not_load_reflex():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for folder in FRAMEWORK_FREE
        for p in folder.rglob("*.py")
    )
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        "print(sorted(m for m in sys.modules if m == 'reflex' or m.startswith('reflex.')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
