"""The local cache: parsed issues, their articles and the search index, in SQLite (no Textual)."""
