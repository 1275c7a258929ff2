"""Words that say nothing of what an article is about: function words, pronouns, connectives,
vague verbs and quantities common to any Chinese text. (Words this bulletin uses everywhere, such
as 本报讯 or 开发区, need no list: the library's own document frequencies push them down.)"""

from __future__ import annotations

import re

_LISTED = """
    我们 你们 他们 她们 它们 咱们 大家 自己 人们 这个 那个 这些 那些 这里 那里 这样 那样 这种
    那种 这次 这是 那是 就是 还是 只是 但是 可是 而是 不是 也是 都是 或是 于是 即是 总是 正是
    以及 并且 而且 或者 因为 所以 因此 由于 如果 虽然 虽说 尽管 然而 不过 同时 此外 另外 其中
    其他 其它 其余 之一 之间 之后 之前 之中 之下 之上 以上 以下 以后 以前 以来 以外 以内 左右
    一个 一些 一种 一次 一年 一直 一定 一起 一样 一般 一下 一方面 两个 几个 多个 各个 各种 各类
    每个 每年 每天 有关 相关 关于 对于 通过 根据 按照 为了 进行 开展 加强 推进 推动 做好 工作
    表示 认为 指出 介绍 了解 称为 成为 作为 出现 开始 继续 已经 正在 曾经 将会 可以 能够 需要
    应该 必须 不断 进一步 目前 现在 当前 今年 去年 明年 今天 昨天 明天 日前 近日 近期 此次 本次
    什么 怎么 怎样 如何 为什么 哪些 哪里 多少 非常 十分 特别 更加 比较 最为 尤其 主要 重要 有效
    全面 充分 积极 不仅 还有 没有 只有 所有 一切 任何 许多 很多 更多 部分 方面 情况 问题 时候
    时间 地方 东西 方式 方法 过程 结果 内容 同志 上午 下午 晚上 期间 全部 整个 即可 可能 不能
    不会 还会 将于 届时 欢迎 参加 报名 地点
    the and for with from that this are was were have has not but you your our their
    """
STOP_WORDS = frozenset(_LISTED.split())

# Numbers, Chinese numerals with their measure words (一个, 三十五, 第二), dates and amounts.
_NUMERIC = re.compile(
    r"[\d〇零一二两三四五六七八九十百千万亿几数第多余个年月日号次名位项件元届期]+"
)


def is_keyword_candidate(word: str) -> bool:
    """A word fit to be a keyword: letters or characters only, not a number, not a stop word."""
    if len(word) < 2 or not all(char.isalnum() for char in word):
        return False
    if any(char.isdigit() for char in word) or _NUMERIC.fullmatch(word):
        return False
    if word.isascii() and len(word) < 3:
        return False
    return word.casefold() not in STOP_WORDS
