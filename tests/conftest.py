"""Shared fixtures. Every test runs with its cache, config and state inside its own tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_7b733c25521b607c.txt"
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "nanna"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, XDG and our own overrides at a fresh folder: tests never touch the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for variable, sub in (
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    monkeypatch.setenv("BULLETIN_TUI_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("BULLETIN_TUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("BULLETIN_TUI_STATE_DIR", str(home / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # No browser is ever started by a test, and links are drawn the same on every terminal.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("FORCE_HYPERLINK", "0")
    return home


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the nanna corpus is not present at {CORPUS}")
    return CORPUS


def corpus_files() -> list[Path]:
    """Every nanna issue where the corpus is present, else the copies in tests/fixtures/nanna."""
    if CORPUS.is_dir():
        return sorted(CORPUS.glob("*.md"))
    return sorted((FIXTURES / "nanna").glob("*.md"))
