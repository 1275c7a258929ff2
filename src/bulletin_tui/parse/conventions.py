"""Newspaper conventions found in a paragraph's text: bylines, photo credits, subtitles, page breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

from bulletin_tui.chinese_characters import HAN_CLASS, is_han

# 本报讯 / 本报北京6月10日电 / 新华社北京6月10日电 / 人民网南京3月2日讯 … followed by credits in brackets.
_BYLINE = re.compile(
    r"""^(?P<dateline>(?:本报|新华社|中新社|人民网|新华网|央视网|本台)[^\s()（）。，,]{0,16}?[讯电])
        \s*[(（](?P<credits>[^()（）]{1,80})[)）]\s*""",
    re.VERBOSE,
)
# A photo credit alone in a paragraph: 记者 丽娜 摄, (记者 蒋玉 通讯员 殷琴 摄), 本报记者 郑洋洋摄.
_PHOTO_CREDIT = re.compile(
    r"^[(（]?\s*(?P<credits>[^()（）。！？]{0,40}?(?:记者|通讯员|摄影|实习生)[^()（）。！？]{1,40}?)"
    r"\s*摄\s*[)）]?$"
)
_ROLE = re.compile(rf"(?P<prefix>[{HAN_CLASS}]{{0,4}}?)(?P<role>记者|通讯员|实习生|摄影|特约撰稿)")
_NAME = re.compile(rf"^(?:[{HAN_CLASS}·]{{2,5}}|[A-Za-z][A-Za-z .'-]{{1,29}})$")
_SEPARATORS = re.compile(r"[\s、，,;；/]+")

SENTENCE_ENDS = frozenset("。！？!?…”’」』）)]】;；:：.")
_LABEL = re.compile(r"^[^，。,:：\s]{1,10}[:：]")


@dataclass(frozen=True)
class Credits:
    reporters: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()


def parse_credits(text: str) -> Credits:
    """`记者 丽娜 通讯员 陈瑶` → reporters (丽娜,), correspondents (陈瑶,); also `记者王浩`."""
    reporters: list[str] = []
    correspondents: list[str] = []
    current = reporters
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        role = _ROLE.match(token)
        if role:
            current = correspondents if role["role"] == "通讯员" else reporters
            token = token[role.end() :]
            if not token:
                continue
        current.append(token)
    return Credits(tuple(reporters), tuple(correspondents))


@dataclass(frozen=True)
class Byline:
    text: str  # as printed, e.g. "本报讯 (记者 丽娜 通讯员 陈瑶)"
    dateline: str
    credits: Credits
    rest: str  # the paragraph's text after the byline


def match_byline(paragraph: str) -> Byline | None:
    found = _BYLINE.match(paragraph)
    if not found:
        return None
    return Byline(
        text=found.group(0).strip(),
        dateline=found["dateline"],
        credits=parse_credits(found["credits"]),
        rest=paragraph[found.end() :],
    )


def match_photo_credit(paragraph: str) -> tuple[str, ...] | None:
    """The names in a photo-credit paragraph, or None when the paragraph is not one."""
    if cell_len(paragraph) > 60:
        return None
    found = _PHOTO_CREDIT.match(paragraph.strip())
    if not found:
        return None
    credits = parse_credits(found["credits"])
    names = (*credits.reporters, *credits.correspondents)
    # Only names may remain: a sentence that happens to start with 记者 and end with 摄 is not a credit.
    if not names or not all(_NAME.match(name) for name in names):
        return None
    return names


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    return not stripped or stripped[-1] in SENTENCE_ENDS


def looks_like_subtitle(paragraph: str) -> bool:
    """A short line with no sentence-ending punctuation and no `label：` start."""
    return (
        cell_len(paragraph) <= 60
        and "\n" not in paragraph
        and not ends_sentence(paragraph)
        and not _LABEL.match(paragraph)
        and "http" not in paragraph
    )


def continues(previous: str, following: str) -> bool:
    """Whether `following` is the rest of `previous`, split by a page break.

    The previous paragraph is a long stretch of prose that stops mid-sentence (a CJK character, digit or
    comma last) and the next starts like running text rather than a label, a list or a link. Short
    lines that stop without punctuation are notices' labels and times ("地点 协鑫楼204"), not breaks.
    """
    if ends_sentence(previous) or cell_len(previous) < 80 or cell_len(following) < 20:
        return False
    last, first = previous.rstrip()[-1], following.lstrip()[0]
    mid_sentence = is_han(last) or last.isdigit() or last in ",，、"
    running = is_han(first) or first.isdigit()
    return mid_sentence and running and not _LABEL.match(following)
