"""The search engine: what it finds, in which order, and the snippets it cuts."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bulletin_tui.library import Library, open_library
from bulletin_tui.line_break_rules import NO_END, NO_START
from bulletin_tui.model import Hit
from bulletin_tui.search.engine import PAGE
from bulletin_tui.search.folding import fold
from tests.conftest import FIXTURES


def _write(folder: Path, day: str, *articles: tuple[str, str], section: str = "要闻") -> None:
    """An issue file for `day` holding (title, body) articles."""
    parts = [f"# 测试日报 {day}", "", f"# **{section}**", ""]
    for title, body in articles:
        parts += [f"## {title}", "", body, ""]
    path = folder / f"{day}.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))


@pytest.fixture
def made(tmp_path: Path) -> Library:
    folder = tmp_path / "made"
    folder.mkdir()
    _write(
        folder,
        "2024-10-01",
        ("长江大桥通车", "本报讯 (记者 张三 通讯员 李四) 市民纷纷前往参观。"),
        ("开发区党建书记座谈", "开发区党建书记座谈会昨日召开，会议总结了全年工作。"),
        ("党建工作再上台阶", "会议强调，要抓好党建工作，落实责任。"),
    )
    _write(
        folder,
        "2024-11-05",
        ("江边散步", "傍晚沿着长江大桥散步，风景很好。"),
        ("分开的词", "开发区今年发展迅速。另外，党建方面也有新举措。书记表示满意。"),
        ("招商引资蹄疾步稳", "去年新签约各类项目35个，其中ＤｅｅｐＳｅｅｋ合作项目1个。"),
        section="经济",
    )
    _write(
        folder,
        "2025-03-02",
        ("罕见与常见", "常见的话题里出现了罕见 罕见 罕见的词。"),
        ("常见话题一", "常见 常见 常见，只有一次罕见。"),
        ("常见话题二", "常见的内容。"),
        ("常见话题三", "又是常见的内容。"),
    )
    _write(folder, "2025-03-03", ("同题文章", "完全相同的正文。"))
    _write(folder, "2025-03-01", ("同题文章", "完全相同的正文。"))
    return open_library([folder], cache_dir=tmp_path / "cache")


def _titles(hits: list[Hit]) -> list[str]:
    return [hit.title for hit in hits]


def test_fold_matches_full_width_and_case() -> None:
    assert fold("ＤｅｅｐＳｅｅｋ，ＡＢＣ１２３　Ｘ") == "deepseek,abc123 x"
    text = "Ａ😀b，" * 40  # long enough for the numpy path, with an astral character
    assert fold(text) == "a😀b," * 40
    assert len(fold(text)) == len(text)


def test_fold_matches_traditional_and_corner_quotes() -> None:
    assert fold("開發區「黨建」『後記』") == "开发区“党建”‘后记’"
    assert fold("開發區") == fold("开发区") == "开发区"
    long = "國慶節後「鼓樓」開放。" * 10  # the numpy path
    assert fold(long) == "国庆节后“鼓楼”开放。" * 10


def test_the_shipped_fold_table_is_the_fold_worked_out_afresh() -> None:
    import importlib.metadata
    import unicodedata

    from bulletin_tui.search import folding

    here = {"unicode": unicodedata.unidata_version, "opencc": importlib.metadata.version("opencc")}
    if here != folding.TABLE_SOURCE:
        pytest.skip(f"the table was computed under {folding.TABLE_SOURCE}, this is {here}")
    assert folding.fold_map() == folding.computed_changes()
    table = folding.fold_table()
    assert all(int(table[code]) == folded for code, folded in folding.fold_map().items())
    assert int(table[ord("開")]) == ord("开") and int(table[ord("x")]) == ord("x")


def test_traditional_and_simplified_find_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "both"
    folder.mkdir()
    _write(folder, "2024-10-01", ("开发区党建工作会议", "会议在开发区召开，讨论「假期值班」安排。"))
    _write(folder, "2024-10-02", ("國慶鼓樓開放", "鼓樓今日對外開放，遊客眾多。"))
    library = open_library([folder], cache_dir=tmp_path / "cache")
    (hit,) = library.search("開發區黨建")
    assert hit.title == "开发区党建工作会议"
    (hit,) = library.search("国庆鼓楼")
    assert hit.title == "國慶鼓樓開放"
    (hit,) = library.search("游客众多")
    # The highlight lands on the characters as printed.
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["遊客眾多"]
    (hit,) = library.search("“假期值班”")  # a quoted phrase; 「」 as printed
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["假期值班"]
    assert _titles(library.search("「假期值班」")) == ["开发区党建工作会议"]
    assert _titles(library.search("“值班”")) == ["开发区党建工作会议"]


def test_title_outranks_body_and_both_are_found(made: Library) -> None:
    hits = made.search("长江大桥")
    assert _titles(hits) == ["长江大桥通车", "江边散步"]  # the title match first, though older


def test_exact_run_outranks_words_apart(made: Library) -> None:
    hits = made.search("开发区党建书记")
    titles = _titles(hits)
    assert titles[0] == "开发区党建书记座谈"
    assert "分开的词" in titles  # all three words, apart
    assert hits[0].score > hits[titles.index("分开的词")].score


def test_rarer_words_weigh_more(made: Library) -> None:
    hits = made.search("常见 罕见")
    assert _titles(hits)[:2] == ["罕见与常见", "常见话题一"]


def test_newer_issue_wins_a_tie(made: Library) -> None:
    hits = made.search("完全相同")
    assert [hit.issue_id for hit in hits] == ["2025-03-03", "2025-03-01"]
    assert hits[0].score == hits[1].score


def test_full_width_and_case_match_each_other(made: Library) -> None:
    for query in ("deepseek", "DEEPSEEK", "ＤｅｅｐＳｅｅｋ"):
        assert _titles(made.search(query)) == ["招商引资蹄疾步稳"], query


def test_exclusion_and_phrases(made: Library) -> None:
    assert set(_titles(made.search("会议"))) == {"开发区党建书记座谈", "党建工作再上台阶"}
    assert _titles(made.search("会议 -总结")) == ["党建工作再上台阶"]
    assert _titles(made.search('"罕见 罕见"')) == ["罕见与常见"]
    assert made.search('"罕见罕见罕见"') == []  # quoted: never cut into words


def test_a_first_search_builds_only_the_articles_it_shows(made: Library, tmp_path: Path) -> None:
    from bulletin_tui.store.lazy import CachedIssue

    library = open_library([made.roots[0]], cache_dir=tmp_path / "cache", refresh=False)
    issues = library.issues
    assert all(isinstance(issue, CachedIssue) and not issue.sections_loaded for issue in issues)
    (hit,) = library.search("招商引资")
    assert [issue.id for issue in issues if issue.sections_loaded] == [hit.issue_id]
    shown = {hit.issue_id}
    for query in ("author:张三", "section:经济", "title:党建"):
        hits = library.search(query)
        assert hits, query
        shown |= {hit.issue_id for hit in hits}
    assert {issue.id for issue in issues if issue.sections_loaded} == shown
    assert len(shown) < len(issues)


def test_field_filters(made: Library) -> None:
    assert _titles(made.search("author:张三")) == ["长江大桥通车"]
    assert _titles(made.search("author:李四 市民")) == ["长江大桥通车"]
    assert set(_titles(made.search("section:经济"))) == {"江边散步", "分开的词", "招商引资蹄疾步稳"}
    assert _titles(made.search("title:大桥")) == ["长江大桥通车"]
    assert set(_titles(made.search("date:2025-03 常见"))) == {
        "罕见与常见",
        "常见话题一",
        "常见话题二",
        "常见话题三",
    }
    ranged = made.search("date:2024-10-01..2024-12-31 长江")
    assert set(_titles(ranged)) == {"长江大桥通车", "江边散步"}
    assert made.search("date:2025-01.. 长江") == []


def test_bad_date_is_a_query_error(made: Library) -> None:
    from bulletin_tui.search.query import QueryError

    with pytest.raises(QueryError, match="date:2025-13"):
        made.search("date:2025-13")


def test_fuzzy_titles(made: Library) -> None:
    assert "招商引资蹄疾步稳" in _titles(made.search("招商引资蹄疾步急"))  # one wrong
    assert "招商引资蹄疾步稳" in _titles(made.search("招商引资蹄步稳"))  # one missing
    assert "招商引资蹄疾步稳" in _titles(made.search("招商引资啊蹄疾步稳"))  # one extra
    assert "招商引资蹄疾步稳" in _titles(made.search("蹄疾步稳招商引资"))  # words reordered


def test_pinyin_full_and_initials(made: Library) -> None:
    assert _titles(made.search("djgz")) == ["党建工作再上台阶"]
    assert "招商引资蹄疾步稳" in _titles(made.search("zhaoshang"))
    assert "招商引资蹄疾步稳" in _titles(made.search("zsyz"))


def test_hit_fields_and_spans(made: Library) -> None:
    hits = made.search("党建", limit=50)
    assert hits
    for hit in hits:
        article = made.article(hit.article_id)
        issue = made.issue_of(hit.article_id)
        assert article is not None and issue is not None
        assert (hit.issue_id, hit.issue_path, hit.date) == (issue.id, issue.path, issue.date)
        assert (hit.title, hit.section) == (article.title, article.section)
        for start, end in hit.spans:
            assert fold(hit.snippet[start:end]) == "党建"
        for start, end in hit.text_spans:
            assert fold(article.body_text[start:end]) == "党建"
        if "党建" in article.body_text:
            assert hit.spans and hit.text_spans
        assert "\n" not in hit.snippet


def test_snippet_is_about_sixty_cells_around_the_match(tmp_path: Path) -> None:
    from rich.cells import cell_len

    folder = tmp_path / "long"
    folder.mkdir()
    body = "前面的文字。" * 60 + "要找的词在这里" + "后面的文字。" * 60
    _write(folder, "2024-01-01", ("长文", body))
    library = open_library([folder], cache_dir=tmp_path / "cache")
    (hit,) = library.search("要找的词")
    assert 56 <= cell_len(hit.snippet) <= 62
    ((start, end),) = hit.spans
    assert hit.snippet[start:end] == "要找的词"
    middle = cell_len(hit.snippet[:start]) + cell_len(hit.snippet[start:end]) / 2
    assert abs(middle - cell_len(hit.snippet) / 2) <= 4  # centred
    assert hit.text_spans == ((body.index("要找的词"), body.index("要找的词") + 4),)


def test_no_snippet_starts_with_closing_or_ends_with_opening_punctuation(
    seed_path: Path, tmp_path: Path
) -> None:
    # The sample's 开发区 in its first article fell 。 after a window's edge: "。回望2017年".
    library = open_library([seed_path, FIXTURES / "nanna"], cache_dir=tmp_path / "cache")
    snippets = [
        hit.snippet
        for query in ("开发区", "開發區", "党建", "讲座", "报名", "活动", "时间", "南京大学", "的")
        for hit in library.search(query, limit=50)
    ]
    assert len(snippets) > 100
    assert [s for s in snippets if s[:1] in NO_START or s[-1:] in NO_END or s != s.strip()] == []
    (hit,) = [h for h in library.search("開發區") if h.title == "“三大工程”激发党建内生动力"]
    assert hit.snippet.startswith("回望2017年")
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["开发区"]


def test_indexed_and_scanned_articles_give_the_same_results(made: Library) -> None:
    queries = ["党", "党建", "开发区党建书记", "常见 罕见", "deepseek", "长江大桥", "的"]
    made.index.sync(made.cache)  # everything in the index
    assert made.index.query("SELECT count(*) FROM indexed") == [(len(made.articles),)]
    made.reload()
    indexed = {q: [(h.article_id, h.score, h.spans) for h in made.search(q, 100)] for q in queries}
    made.index.clear()  # everything scanned
    made.reload()
    scanned = {q: [(h.article_id, h.score, h.spans) for h in made.search(q, 100)] for q in queries}
    assert indexed == scanned


def test_empty_and_odd_queries(made: Library) -> None:
    assert made.search("") == [] and made.search("   ") == []
    assert made.search("-") == []
    assert made.search("党建", limit=0) == []
    assert made.search("http://example.com") == []
    assert made.search('"unclosed quote') == []


@pytest.fixture
def titled(tmp_path: Path) -> Library:
    folder = tmp_path / "titled"
    folder.mkdir()
    _write(
        folder,
        "2024-10-01",
        ("明天，请停留一分钟", "一篇关于时间的散文。"),
        ("黑匣子｜周末剧场", "本周末的剧场演出安排。"),
        ("长歌行", "古诗一首。"),
        ("2024南大演说家", "演讲比赛决赛。"),
        ("深海探测的新进展", "科考船完成了深海探测任务，海洋研究所发布报告。"),
        ("海洋研究所开放日", "海洋研究所今年的开放日，科考船向市民开放。"),
        ("重阳节，登高望远", "老人们相约登高。"),
    )
    return open_library([folder], cache_dir=tmp_path / "cache")


def test_pinyin_across_punctuation_digits_and_polyphones(titled: Library) -> None:
    for query, title, span in (
        ("mtqtly", "明天，请停留一分钟", (0, 7)),
        ("mingtianqing", "明天，请停留一分钟", (0, 4)),
        ("heixiazizhou", "黑匣子｜周末剧场", (0, 5)),
        ("changgexing", "长歌行", (0, 3)),
        ("zhanggehang", "长歌行", (0, 3)),
        ("chongyangjiedeng", "重阳节，登高望远", (0, 5)),  # 重 chong or zhong, across the comma
        ("zyjdgwy", "重阳节，登高望远", (0, 8)),
        ("2024ndysj", "2024南大演说家", (0, 9)),
        ("ndysj", "2024南大演说家", (4, 9)),
    ):
        hits = titled.search(query)
        assert hits and hits[0].title == title, query
        assert hits[0].match == "pinyin" and hits[0].title_spans == (span,), query


def test_near_miss_titles_first_with_spans(titled: Library) -> None:
    for query in ("明天，请停流一分钟", "明天请停留一分", "深海探测的新近展", "深海探侧新进展"):
        hits = titled.search(query)
        assert hits and hits[0].title in ("明天，请停留一分钟", "深海探测的新进展"), query
        assert hits[0].match == "title" and hits[0].title_spans, query


def test_a_query_sharing_most_of_a_titles_pairs_finds_it_past_two_edits(titled: Library) -> None:
    for query in ("深海探测新进展情况如何", "关于深海探测的新进展报道", "海洋深海探测的进展"):
        hits = titled.search(query)
        assert hits and hits[0].title == "深海探测的新进展", query


def test_partial_matches_follow_and_say_what_they_lack(titled: Library) -> None:
    hits = titled.search("科考船 海洋研究所 火星车")
    assert {hit.title for hit in hits} == {"深海探测的新进展", "海洋研究所开放日"}
    for hit in hits:
        assert hit.match == "partial"
        assert hit.missing == ("火星车",) and set(hit.matched) == {"科考船", "海洋研究所"}
    # Full matches first, then partial ones.
    hits = titled.search("深海探测 海洋研究所 火星车")
    assert hits[0].title == "深海探测的新进展" and hits[0].missing == ("火星车",)
    # +word and quoted phrases are always required.
    assert titled.search("科考船 海洋研究所 +火星车") == []
    assert titled.search('科考船 海洋研究所 "火星车"') == []
    (hit,) = titled.search("+深海探测 海洋研究所 火星车")
    assert hit.title == "深海探测的新进展"


def test_text_hits_carry_title_spans(titled: Library) -> None:
    (hit,) = titled.search("开放日")
    assert hit.title_spans == ((5, 8),) and hit.match == "text" and hit.matched == ("开放日",)


def test_nothing_found_offers_nearest_titles_and_words(titled: Library) -> None:
    suggestions = titled.suggest("深海火星 木星")
    assert suggestions.titles[0] == "深海探测的新进展"
    assert dict(suggestions.words)["木星"] == 0
    assert "Nearest titles" in suggestions.describe()


def test_nothing_found_offers_each_title_once_and_filters_before_choosing(tmp_path: Path) -> None:
    def issue(folder: Path, name: str, day: str, title: str) -> None:
        folder.mkdir(exist_ok=True)
        text = f"# {name} {day}\n\n# **活动**\n\n## {title}\n\n周五下午举办，欢迎参加。\n"
        (folder / f"{day}.md").write_text(text, encoding="utf-8")

    school, club = tmp_path / "school", tmp_path / "club"
    for day in ("2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04"):
        issue(school, "校报", day, "讲座")  # one title, four times, newest in the library
    for day, title in (("2024-09-01", "讲座通知"), ("2024-09-02", "讲座回顾")):
        issue(club, "社团通讯", day, title)
    library = open_library([school, club], tmp_path / "cache")
    assert library.search("jiangzuoo") == []  # a letter too many: spells no title
    assert library.suggest("jiangzuoo").titles == ("讲座", "讲座回顾", "讲座通知")
    # Kept to one publication: its own titles, not fewer for the other's being nearer.
    assert library.suggest("jiangzuoo pub:社团").titles == ("讲座回顾", "讲座通知")


def test_pinyin_that_spells_nothing_offers_the_titles_it_nearly_spells(titled: Library) -> None:
    for query, title in (
        ("mtqtlyy", "明天，请停留一分钟"),  # a letter too many
        ("changgexinx", "长歌行"),
        ("mtqxly", "明天，请停留一分钟"),  # a wrong letter: the longest start that spells one
        ("heixia zizhoux", "黑匣子｜周末剧场"),  # words typed apart
    ):
        assert titled.search(query) == [], query
        assert titled.suggest(query).titles[:1] == (title,), query
    assert titled.suggest("qqqqq").titles == ()


def test_count_is_the_true_total_whatever_the_limit(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for day in range(1, 29):
        _write(
            folder, f"2024-02-{day:02d}", *[(f"讲座{day}-{i}", "本周讲座安排。") for i in range(3)]
        )
    library = open_library([folder], cache_dir=tmp_path / "cache")
    assert library.count("讲座") == 84
    ids = [hit.article_id for hit in library.search("讲座", limit=84)]
    assert len(set(ids)) == 84
    assert [hit.article_id for hit in library.search("讲座", limit=50)] == ids[:50]
    # Lower tiers fill one page at most, so the total holds for them too.
    assert library.count("讲座 火星车") == len(library.search("讲座 火星车", limit=200)) == PAGE
    assert library.count("date:2024-02-01..2024-02-03") == 9


def test_pinyin_words_each_marked_in_the_title(titled: Library) -> None:
    (hit,) = titled.search("nanda yanshuo")
    assert hit.title == "2024南大演说家" and hit.title_spans == ((4, 6), (6, 8))


def test_a_plus_word_is_never_cut_apart(titled: Library) -> None:
    # 深海探测 is in one article; cut apart, 深海 and 探测 would not be required as written.
    assert _titles(titled.search("+深海探测")) == ["深海探测的新进展"]
    assert titled.search("+深海科考") == []


def test_counts_in_titles_and_bylines_the_same_before_and_after_warming(made: Library) -> None:
    queries = ["党建", "开发区党建书记", "常见", "罕见 罕见", "记者 张三", "deepseek", "同题"]
    cold = {q: [(h.article_id, h.score) for h in made.search(q, 50)] for q in queries}
    made.warm_up()  # builds the pair indexes of titles and bylines
    warm = {q: [(h.article_id, h.score) for h in made.search(q, 50)] for q in queries}
    assert cold == warm


def test_joined_texts_are_found_by_place_past_characters_outside_the_bmp() -> None:
    from bulletin_tui.search.joined import Joined

    texts = ["a😀b", "", "xyz", "😀😀", "q"]
    joined = Joined(texts)
    assert [joined.get(doc) for doc in range(len(texts))] == texts == joined.texts
    assert joined.counts("😀", 5).tolist() == [1, 0, 0, 2, 0]
    assert joined.counts("xy", 5).tolist() == [0, 0, 1, 0, 0]
    assert joined.counts("q", 5).tolist() == [0, 0, 0, 0, 1]
