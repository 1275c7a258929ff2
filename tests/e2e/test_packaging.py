"""The wheel carries the sample issue and the styles, and finds them from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("bulletin_tui-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "bulletin_tui/seeds/000_7b733c25521b607c.txt" in names
    assert any(name.startswith("bulletin_tui/styles/") and name.endswith(".tcss") for name in names)
    assert "bulletin_tui/cli/__init__.py" in names and "bulletin_tui/parse/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "bulletin-tui = bulletin_tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
    assert not any("tests/" in name or "__pycache__" in name for name in names)


def test_installed_wheel_finds_its_seeds_from_another_directory(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import bulletin_tui.paths as p, bulletin_tui.cli as c;"
        "print(p.seeds_dir()); print(p.styles_dir()); raise SystemExit(c.main(['list', '--no-cache']))"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Put the extracted wheel first on sys.path, as an installed wheel would be.
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seeds, styles, *listing = result.stdout.splitlines()
    assert seeds == str(site / "bulletin_tui" / "seeds")
    assert styles == str(site / "bulletin_tui" / "styles")
    assert "招商引资蹄疾步稳" in "\n".join(listing)
