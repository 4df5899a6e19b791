"""Imports between layers point one way, by folder, and the domain and services layers
never import Reflex (checked on the source, not the running process, so an indirect
import through a helper module is caught too)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dashboard"
FRAMEWORK_FREE = [PACKAGE / "domain", PACKAGE / "services"]

# Which layers each layer may import (besides itself). A layer is a folder of dashboard/
# (or one of its top-level modules); `app` is what wires everything together.
BASE = {"config"}
ALLOWED = {
    "config": set(),
    "site": {"config"},
    "domain": set(),
    "services": {"domain"} | BASE,
    "migrations": {"domain", "services"} | BASE,
    "api": {"domain", "services", "site"} | BASE,
    "state": {"domain", "services", "site"} | BASE,
    "components": {"domain", "state", "site"} | BASE,
    "pages": {"domain", "state", "components", "site"} | BASE,
    "cli": {"domain", "services"} | BASE,
    "app": {"api", "state", "pages", "services", "site"} | BASE,
}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "dashboard":
        return None
    if len(parts) == 1 or parts[1] == "dashboard":
        return "app"
    return parts[1]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from dashboard import site` imports dashboard.site
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_every_module_has_a_layer_with_rules():
    layers = {_layer(_module(p)) for p in PACKAGE.rglob("*.py")}
    assert layers - {None} <= set(ALLOWED)


def test_imports_between_layers_point_one_way():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _layer(_module(path))
        for imported in sorted(_imports(path)):
            other = _layer(imported)
            if other is not None and other != me and other not in ALLOWED[me]:
                offenders.append(f"{path.relative_to(ROOT)} ({me}) imports {imported} ({other})")
    assert offenders == []


def test_capability_folders_have_the_same_names_in_every_layer():
    """A capability's state and pages live in a folder named as its services do."""
    services = {p.name for p in (PACKAGE / "services").iterdir() if (p / "__init__.py").exists()}
    for layer in ("state", "pages"):
        folders = {p.name for p in (PACKAGE / layer).iterdir() if (p / "__init__.py").exists()}
        assert folders <= services, f"{layer} folders without a services package: {folders - services}"
        loose = sorted(p.name for p in (PACKAGE / layer).glob("*.py") if p.name != "__init__.py")
        assert set(loose) <= {"clock.py", "view.py"}, f"{layer} modules outside a capability: {loose}"


def test_domain_and_services_source_never_imports_reflex():
    offenders = [
        str(p.relative_to(ROOT))
        for folder in FRAMEWORK_FREE
        for p in folder.rglob("*.py")
        if any(m.split(".")[0] == "reflex" for m in _imports(p))
    ]
    assert offenders == []


def test_importing_every_service_does_not_load_reflex():
    modules = sorted(_module(p) for folder in FRAMEWORK_FREE for p in folder.rglob("*.py"))
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        "print(sorted(m for m in sys.modules if m == 'reflex' or m.startswith('reflex.')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_no_module_is_longer_than_one_sitting():
    long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 700
    }
    assert long == {}


def test_the_benchmarks_never_import_the_tests():
    offenders = [
        f"{p.relative_to(ROOT)} imports {m}"
        for p in sorted((ROOT / "bench").rglob("*.py"))
        for m in sorted(_imports(p))
        if m.split(".")[0] == "tests"
    ]
    assert offenders == []
