"""The local cache: parsed issues and their articles, in SQLite (no Textual). The search index is
not here: search keeps it in a file of its own beside the cache."""
