"""What the archive says: each article's keywords, the articles most like it, and how often a
query's subject came up period by period. Textual-free; jieba only through bulletin_tui.chinese_words.

    from bulletin_tui import open_library
    library = open_library(["bulletins/"])
    library.insights.keywords("2025-03-02.4")        # [Keyword("招商", 1.0), ...]
    library.insights.related("2025-03-02.4", limit=5)
    library.insights.trend("招商", by="month")
"""

from bulletin_tui.insights.archive import Insights, RelatedArticle
from bulletin_tui.insights.keywords import Keyword
from bulletin_tui.insights.trend import PERIODS, Period, Trend

__all__ = ["PERIODS", "Insights", "Keyword", "Period", "RelatedArticle", "Trend"]
