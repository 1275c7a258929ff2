"""Search: the query language, folding, the gram index, ranking and snippets (no Textual, no jieba
except through bulletin_tui.chinese_words)."""
