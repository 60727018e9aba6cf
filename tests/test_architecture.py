"""The architecture, checked by machines: the import-linter contracts (pyproject.toml: the layers
domain <- persistence <- services <- protocol <- sockets | web), ruff, no function-level imports
in src, and a domain that imports only the standard library."""
import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "forum_live"
BIN = Path(sys.executable).parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} is not installed next to {sys.executable}: pip install -e '.[test]'")
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    result = _run("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", "src", "tests", "bench", "run.py")
    assert result.returncode == 0, result.stdout + result.stderr


def _python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_no_module_in_src_imports_inside_a_function():
    """Imports at the top of the module only: a function-level import hides a cycle or a layer
    crossing from the contracts' readers (import-linter still sees it, people do not)."""
    found = []
    for path in _python_files(SRC):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found += [f"{path.relative_to(ROOT)}:{inner.lineno}" for inner in ast.walk(node)
                          if isinstance(inner, (ast.Import, ast.ImportFrom))]
    assert found == []


def test_the_domain_imports_only_the_standard_library_and_itself():
    found = []
    for path in _python_files(SRC / "domain"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level == 1:  # from .x import y: the domain itself
                    continue
                names = [node.module or ""] if node.level == 0 else ["(outside the domain)"]
            else:
                continue
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] not in sys.stdlib_module_names]
    assert found == []


def test_the_contracts_would_catch_a_crossing():
    """The layers contract is not vacuous: the grimp graph it checks has sockets -> protocol and
    web -> protocol imports, and no import the other way."""
    graph = grimp.build_graph("forum_live")
    assert graph.find_modules_directly_imported_by("forum_live.sockets.broadcast") & {"forum_live.protocol.messages"}
    assert graph.find_modules_directly_imported_by("forum_live.web.api") & {"forum_live.protocol.handling"}
    assert not graph.chain_exists("forum_live.protocol.handling", "forum_live.sockets.broadcast", as_packages=False)
