"""The core stays light: no Textual, no jieba, no I/O until asked; and the layer contracts that
`lint-imports` checks (pyproject.toml) name every module."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import bulletin_tui

ROOT = Path(__file__).resolve().parents[2]
# The faces: the app (the one part that imports Textual) and the command line, which starts it.
FACES = {
    "bulletin_tui.ui",
    "bulletin_tui.cli",
    "bulletin_tui.__main__",
}


def _modules() -> list[str]:
    """Every module and package of bulletin_tui, read from the source tree (nothing imported)."""
    package = Path(bulletin_tui.__file__).parent
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _top_level(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _light_modules() -> list[str]:
    """The modules that must import without Textual or jieba: all but the app's (`cli` too: it
    imports the app only to start it) and `__main__` (importing it runs the command line)."""
    return [
        m for m in _modules() if _top_level(m) not in {"bulletin_tui.ui", "bulletin_tui.__main__"}
    ]


def _first_importers(modules: list[str], heavy: tuple[str, ...]) -> dict[str, str]:
    """For each of `heavy` that importing `modules` one after another loads, the module whose
    import loaded it first (one fresh interpreter for all)."""
    probe = f"""
import importlib, json, sys
heavy, found = {heavy!r}, {{}}
for module in {modules!r}:
    importlib.import_module(module)
    for name in heavy:
        if name in sys.modules and name not in found:
            found[name] = module
print(json.dumps(found))
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    found: dict[str, str] = json.loads(result.stdout.splitlines()[-1])
    return found


def test_the_walk_finds_the_real_modules() -> None:
    modules = _light_modules()
    for module in (
        "bulletin_tui.search.engine",
        "bulletin_tui.store.cache",
        "bulletin_tui.typeset.article",
        "bulletin_tui.parse.markdown",
        "bulletin_tui.parse.large_documents",
        "bulletin_tui.insights.archive",
        "bulletin_tui.chinese_words",
        "bulletin_tui.library",
        "bulletin_tui.cli",
    ):
        assert module in modules
    assert not [m for m in modules if m.startswith("bulletin_tui.ui")]


def test_no_module_outside_the_app_imports_textual_or_jieba_when_imported() -> None:
    assert _first_importers(_light_modules(), ("textual", "jieba")) == {}


def test_the_probe_names_the_module_that_loads_textual() -> None:
    # The check above can fail: the app's modules load Textual, and the probe says which did.
    found = _first_importers(["bulletin_tui.model", "bulletin_tui.ui.app"], ("textual", "jieba"))
    assert found == {"textual": "bulletin_tui.ui.app"}


def test_opening_and_listing_the_library_never_imports_jieba() -> None:
    probe = (
        "from bulletin_tui import open_library\nlib = open_library(use_cache=False)\nlib.articles\n"
        "import sys\nprint('jieba' in sys.modules, 'textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_the_layer_contracts_name_every_module() -> None:
    # A module missing from the core's list would escape `lint-imports` unseen.
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["name"]: c for c in settings["tool"]["importlinter"]["contracts"]}
    core = set(
        contracts["The core never imports the app, the command line or Textual"]["source_modules"]
    )
    top_level = {_top_level(m) for m in _modules()} - {"bulletin_tui"}
    assert core | FACES == top_level
    assert not core & FACES
