"""The cache's tables. Bump SCHEMA_VERSION whenever they change: a mismatch rebuilds the cache."""

from __future__ import annotations

SCHEMA_VERSION = 3

# files: one row per issue file seen, parsed or not (`error` holds why a file was skipped), with the
#   issue's metadata and its articles' (packed by store.codec: opening reads only this table) and
#   the doc number of each article.
# docs: one row per article: its number (never reused, so a changed article is a new number, which
#   is how the search index, kept by search/ in a file of its own, knows what to add and forget).
# texts: each article's body (its text stored once), how many blocks it has and the body offset
#   where each page of them starts; read on demand.
# block_pages: an article's blocks without their text (lengths into the body instead, plus their
#   other fields), block_pages.PAGE_BLOCKS to a row, so a page is read when first shown.
TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL UNIQUE,
    shown TEXT NOT NULL,
    stem TEXT NOT NULL,
    issue_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    error TEXT,
    title TEXT,
    date TEXT,
    front_matter TEXT,
    sections TEXT,
    articles TEXT,
    docs TEXT
);
CREATE INDEX IF NOT EXISTS files_by_hash ON files (hash, stem);
CREATE TABLE IF NOT EXISTS docs (
    doc INTEGER PRIMARY KEY AUTOINCREMENT,
    file INTEGER NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_by_file ON docs (file, position);
CREATE TABLE IF NOT EXISTS texts (
    doc INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    blocks INTEGER NOT NULL,
    pages TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS block_pages (
    doc INTEGER NOT NULL,
    page INTEGER NOT NULL,
    shapes TEXT NOT NULL,
    PRIMARY KEY (doc, page)
);
"""

DROP = """
DROP TABLE IF EXISTS postings;
DROP TABLE IF EXISTS segments;
DROP TABLE IF EXISTS block_pages;
DROP TABLE IF EXISTS texts;
DROP TABLE IF EXISTS docs;
DROP TABLE IF EXISTS files;
DROP TABLE IF EXISTS meta;
"""
