"""config.toml: defaults, every setting, and problems reported by line and key, never rewritten."""

from __future__ import annotations

import os
from pathlib import Path

from bulletin_tui.config import Config, load_config, parse_config
from bulletin_tui.paths import config_file


def write_config(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_without_a_message() -> None:
    assert load_config() == (Config(), None)


def test_the_environment_variable_chooses_the_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text('theme = "light"\n', encoding="utf-8")
    monkeypatch.setenv("BULLETIN_TUI_CONFIG", str(path))
    config, problem = load_config()
    assert config.theme == "light" and problem is None


def test_every_setting_is_read() -> None:
    write_config(
        """
theme = "light"
measure = 32
ambiguous_width = 2
normalise_punctuation = false
export_dir = "~/exports"
animations = true

[library]
paths = ["~/bulletins", "/srv/news"]

[keymap]
next_article = "ctrl+n"
previous_article = ["ctrl+b", "p"]
"""
    )
    config, problem = load_config()
    assert problem is None
    home = os.environ["HOME"]
    assert config.library == (f"{home}/bulletins", "/srv/news")
    assert config.theme == "light" and config.textual_theme == "textual-light"
    assert config.measure == 32
    assert config.ambiguous_width == 2
    assert config.normalise_punctuation is False
    assert config.export_dir == f"{home}/exports"
    assert config.animations is True
    assert config.keymap == {"next_article": "ctrl+n", "previous_article": "ctrl+b,p"}


def test_invalid_toml_names_the_line_gives_defaults_and_leaves_the_file_alone() -> None:
    text = 'theme = "light"\nmeasure = \n'
    path = write_config(text)
    before = path.stat().st_mtime_ns
    config, problem = load_config()
    assert config == Config()
    assert problem is not None and str(path) in problem and "line 2" in problem
    assert path.read_text(encoding="utf-8") == text
    assert path.stat().st_mtime_ns == before


def test_a_wrong_value_names_line_and_key_and_keeps_the_other_settings() -> None:
    write_config('theme = "light"\n\nmeasure = "wide"\n[library]\npaths = 3\n')
    config, problem = load_config()
    assert config.theme == "light"
    assert config.measure == Config().measure
    assert config.library == ()
    assert problem is not None
    lines = problem.splitlines()
    assert any("line 3" in line and "'measure'" in line and "'wide'" in line for line in lines)
    assert any("line 5" in line and "'library.paths'" in line for line in lines)


def test_out_of_range_and_wrong_kinds_are_refused() -> None:
    path = Path("c.toml")
    for text, key in [
        ("measure = 5", "measure"),
        ("measure = true", "measure"),
        ("ambiguous_width = 3", "ambiguous_width"),
        ('normalise_punctuation = "yes"', "normalise_punctuation"),
        ("theme = 1", "theme"),
        ("export_dir = []", "export_dir"),
        ("library = 3", "library"),
        ("keymap = 3", "keymap"),
    ]:
        config, problems = parse_config(text + "\n", path)
        assert config == Config(), text
        assert len(problems) == 1 and f"'{key}'" in problems[0] and "line 1" in problems[0], text


def test_dotted_keys_and_bad_keymap_entries_are_located() -> None:
    config, problems = parse_config(
        'library.paths = 3\n[keymap]\nquit = "ctrl+q"\nsearch = 4\n', Path("c")
    )
    assert config.keymap == {"quit": "ctrl+q"}
    assert "line 1" in problems[0] and "'library.paths'" in problems[0]
    assert "line 4" in problems[1] and "'keymap.search'" in problems[1]


def test_unknown_settings_are_reported_not_fatal() -> None:
    config, problems = parse_config('colour = "red"\nmeasure = 30\n', Path("c"))
    assert config.measure == 30
    assert problems == ["c, line 1, key 'colour': unknown setting; ignored"]


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe theme")
    monkeypatch.setenv("BULLETIN_TUI_CONFIG", str(path))
    config, problem = load_config()
    assert config == Config() and problem is not None and str(path) in problem


def test_keymap_names_unknown_keys_ids_and_clashes_with_file_line_and_key() -> None:
    from bulletin_tui.ui.keys import checked_keymap

    text = (
        "[keymap]\n"
        'next_article = "ctrl+nn"\n'  # no such key
        'search = "s"\n'  # fine
        'quit = "j"\n'  # j moves down in the list and the reader
        'next_match = "m"\n'  # m bookmarks, everywhere
        'fly = "f"\n'  # no such binding
        'previous_article = "[,super+x"\n'  # "[" in Textual's own name
    )
    config, problems = parse_config(text, Path("/home/u/config.toml"))
    assert problems == []
    usable, problems = checked_keymap(config.keymap, config.keymap_where)
    assert usable == {  # quit and next_match clash: refused, they keep their default keys
        "search": "s",
        "previous_article": "left_square_bracket,super+x",
    }
    at = "/home/u/config.toml, line"
    assert problems == [
        f"{at} 2, key 'keymap.next_article': unknown key name 'ctrl+nn'; ignored",
        f"{at} 6, key 'keymap.fly': no key binding has this id (see ?); ignored",
        f"{at} 5, key 'keymap.next_match': key 'm' is also bookmark everywhere; ignored, "
        "next_match stays on 'n'",
        f"{at} 4, key 'keymap.quit': key 'j' is also down in the section list, in the reader "
        "and in the search results; ignored, quit stays on 'q'",
    ]


def test_a_refused_remap_that_brings_back_a_clashing_default_is_refused_too() -> None:
    from bulletin_tui.ui.keys import checked_keymap

    # bookmark onto n is fine while next_match moves to j; j is down's, so next_match is refused,
    # and its default n then clashes with bookmark's new key: that is refused in turn.
    usable, problems = checked_keymap({"bookmark": "n", "next_match": "j"}, str)
    assert usable == {}
    assert problems[0].startswith("next_match: key 'j' is also down")
    assert problems[-1] == (
        "bookmark: key 'n' is also next_match everywhere; ignored, bookmark stays on 'm'"
    )


def test_the_default_keys_do_not_clash() -> None:
    from bulletin_tui.ui.keys import checked_keymap

    assert checked_keymap({}, str) == ({}, [])


def test_the_readme_example_is_a_valid_config(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    config, problems = parse_config(example, tmp_path / "config.toml")
    assert problems == []
    assert (
        config.theme == "dark" and config.export_dir is not None
    )  # top-level keys, not [library]'s
    assert config.library and config.publications[0][1] == "开发区报"
