"""The core stays light: no Textual, no jieba, no I/O until asked."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = [
    "bulletin_tui",
    "bulletin_tui.model",
    "bulletin_tui.sources",
    "bulletin_tui.parse",
    "bulletin_tui.library",
    "bulletin_tui.serialize",
    "bulletin_tui.config",
    "bulletin_tui.paths",
    "bulletin_tui.cli",
]


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", CORE)
def test_core_imports_neither_textual_nor_jieba(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert not {"textual", "jieba"} & loaded


def test_optional_core_modules_stay_free_of_textual() -> None:
    for module in ("bulletin_tui.typeset", "bulletin_tui.store", "bulletin_tui.search"):
        try:
            __import__(module)
        except ImportError:
            continue
        loaded = _modules_after(f"import {module}")
        assert "textual" not in loaded and "jieba" not in loaded, module


def test_opening_and_listing_the_library_never_imports_jieba() -> None:
    loaded = _modules_after(
        "from bulletin_tui import open_library\nlib = open_library(use_cache=False)\nlib.articles"
    )
    assert "jieba" not in loaded and "textual" not in loaded


def _imports(package: str) -> dict[str, set[str]]:
    """Every bulletin_tui module each module of `package` imports (at any level, lazily too)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "src" / "bulletin_tui" / package
    found: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[path.name] = {name for name in names if name.startswith("bulletin_tui")}
    return found


def test_search_and_store_do_not_import_each_other() -> None:
    # The store hands documents to search through search.documents (a Protocol it meets without
    # importing it); search owns its index file and never reads the store's tables.
    for module, names in _imports("search").items():
        assert not any(name.startswith("bulletin_tui.store") for name in names), module
    for module, names in _imports("store").items():
        assert not any(name.startswith("bulletin_tui.search") for name in names), module
