"""Bad files are named with their problem, and never stop the rest of the library from loading."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import bulletin_tui
from bulletin_tui.model import FileError, Issue
from bulletin_tui.sources import MAX_FILE_BYTES, discover, load_all, load_issue
from tests.conftest import FIXTURES, SEED


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(SEED, library / SEED.name)
    return library


def _errors(root: Path) -> dict[str, str]:
    issues, errors = load_all([root])
    assert [issue.id for issue in issues] == [SEED.stem], "the good issue must still load"
    return {Path(error.path).name: error.message for error in errors}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.md", bytes(range(256)) * 4, "binary file"),
        ("empty.md", b"", "empty file"),
        ("blank.txt", b" \n\t\n\xe3\x80\x80\n", "empty file"),
        ("png.md", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary file"),
        ("bad-utf16.md", b"\xff\xfe\x00\xd8", "invalid UTF-16"),
    ],
)
def test_bad_file_is_named_and_skipped(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    library = _library(tmp_path)
    (library / name).write_bytes(content)
    assert message in _errors(library)[name]


def test_too_large_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    library = _library(tmp_path)
    big = library / "huge.md"
    with big.open("wb") as handle:  # sparse: the size is real, the disk use is not
        handle.truncate(100 * 1024 * 1024)
    message = _errors(library)["huge.md"]
    assert "file too large (104.9 MB" in message and f"{MAX_FILE_BYTES // 2**20} MiB" in message


def test_symlinks(tmp_path: Path) -> None:
    library = _library(tmp_path)
    (library / "dangling.md").symlink_to(tmp_path / "missing.md")
    (library / "loop-a.md").symlink_to(library / "loop-b.md")
    (library / "loop-b.md").symlink_to(library / "loop-a.md")
    (library / "sub").mkdir()
    (library / "sub" / "back").symlink_to(library)  # a directory loop is walked once
    errors = _errors(library)
    assert "dangling" in errors["dangling.md"]
    assert "loop" in errors["loop-a.md"] and "loop" in errors["loop-b.md"]


def test_directory_named_like_a_file_is_walked(tmp_path: Path) -> None:
    library = _library(tmp_path)
    (library / "folder.md").mkdir()
    assert _errors(library) == {}
    assert load_issue(library / "folder.md") == FileError(
        str(library / "folder.md"), "is a directory, not a file"
    )


def test_non_utf8_file_name(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    name = os.fsdecode(b"\xb1\xa8-2025-03-12.md")  # GBK bytes for 报: not UTF-8
    shutil.copy(SEED, library / name)
    issues, errors = load_all([library])
    assert errors == []
    assert issues[0].path.endswith("\\xb1\\xa8-2025-03-12.md")
    assert issues[0].date is not None and issues[0].date.isoformat() == "2025-03-12"


def test_missing_root_is_reported(tmp_path: Path) -> None:
    issues, errors = load_all([tmp_path / "nowhere", SEED])
    assert len(issues) == 1
    assert errors == [FileError(str(tmp_path / "nowhere"), "no such file or directory")]


def _load_as(uid: int, root: Path) -> str:
    """Load `root` in a forked child running as `uid`; its (issues, errors) summary as text."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, load, report, leave
        try:
            os.close(read)
            # The parser's modules load on first use: load them while the checkout (and its
            # virtual environment) can still be read, wherever it lives.
            load_all([SEED])
            if uid != os.geteuid():
                os.setgid(uid)
                os.setuid(uid)
            issues, errors = load_all([root])
            summary = f"{len(issues)} {[(Path(e.path).name, e.message) for e in errors]}"
            os.write(write, summary.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        output = pipe.read()
    os.waitpid(pid, 0)
    return output


def test_unreadable_file() -> None:
    # Root reads anything, so when running as root the loading happens as `nobody`, in a folder
    # that user can enter.
    uid = 65534 if os.geteuid() == 0 else os.geteuid()
    library = Path(tempfile.mkdtemp(prefix="bulletin-tui-test-"))
    try:
        library.chmod(0o755)
        shutil.copy(SEED, library / SEED.name)
        (library / SEED.name).chmod(0o644)
        secret = library / "secret.md"
        secret.write_text("## 题\n\n正文。\n", encoding="utf-8")
        secret.chmod(0)
        assert _load_as(uid, library) == "1 [('secret.md', 'permission denied')]"
    finally:
        shutil.rmtree(library)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to load as nobody")
def test_unreadable_file_wherever_the_checkout_lives(tmp_path: Path) -> None:
    # The package imported from a folder `nobody` cannot enter, as a checkout in a 0700 home is.
    private = tmp_path / "private"
    shutil.copytree(Path(bulletin_tui.__file__).parent, private / "bulletin_tui")
    private.chmod(0o700)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bulletin_tui; "
        "assert bulletin_tui.__file__.startswith(sys.argv[1]); "
        "from tests.core.test_sources import test_unreadable_file; test_unreadable_file()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(private)],
        cwd=SEED.parent.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_discover_finds_extensions_recursively(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "c.TXT", "d.pdf", "deep/e.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        "a.md",
        "b.markdown",
        "c.TXT",
        "deep/e.md",
    ]


def test_mixed_line_endings(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.md"
    mixed.write_bytes("## 题一\r\n\r\n正文一。\n\n## 题二\r\r正文二。\r\n".encode())
    issue = load_issue(mixed)
    assert isinstance(issue, Issue)
    assert [(a.title, a.body_text) for a in issue.articles] == [
        ("题一", "正文一。"),
        ("题二", "正文二。"),
    ]


def test_gb18030_only_characters(tmp_path: Path) -> None:
    # 𠀀 (U+20000) and 㐀 are outside GBK: only GB18030 encodes them.
    path = tmp_path / "gb18030.txt"
    path.write_bytes("## 𠀀㐀题\n\n正文。\n".encode("gb18030"))
    issue = load_issue(path)
    assert isinstance(issue, Issue) and issue.articles[0].title == "𠀀㐀题"


def test_a_folder_every_user_may_write_is_refused_by_name_and_the_rest_loads(
    tmp_path: Path,
) -> None:
    from bulletin_tui.library import open_library

    library = _library(tmp_path)
    team = library / "open"
    team.mkdir()
    planted = team / "2024-09-27.md"
    shutil.copy(FIXTURES / "nanna" / "2024-09-27.md", planted)
    (team / "deeper").mkdir()
    (team / "deeper" / "x.md").write_text("# 假消息\n\n## 标题\n\n正文。\n", encoding="utf-8")
    team.chmod(0o777)
    errors = _errors(library)  # the sample still loads, alone
    assert list(errors) == ["open"]
    assert "every user may write (mode 777)" in errors["open"] and "chmod o-w" in errors["open"]
    # The same through the cache, and read again once the folder is closed to others.
    cached = open_library([library], cache_dir=tmp_path / "cache")
    assert [e.path for e in cached.errors] == [str(team)] and len(cached.issues) == 1
    team.chmod(0o775)  # writable by its group (a team folder): read
    cached = open_library([library], cache_dir=tmp_path / "cache")
    assert cached.errors == [] and len(cached.issues) == 3
    library.chmod(0o1777)  # sticky, as /tmp: anyone may still add files
    assert [e.path for e in load_all([library])[1]] == [str(library)]
    assert load_all([library])[0] == []
