"""避头尾: the punctuation no line may start with, and the punctuation no line may end with.

The typesetter breaks lines by these rules, and search cuts its snippets by them; they live apart
from both so that search need not import the typesetter."""

from __future__ import annotations

# A line may not start with these (the ASCII forms too) …
NO_START = frozenset("，。、；：？！）》」』〉】〕〗〙〛］｝”’…—·・％‰℃" + ",.;:?!)]}%")
# … nor end with these.
NO_END = frozenset("（《「『〈【〔〖〘〚［｛“‘" + "([{")
