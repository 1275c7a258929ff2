"""bulletin-tui: a keyboard-only terminal reader for Chinese bulletins.

The public Python API, importable without Textual:

    from bulletin_tui import open_library
    library = open_library(["path/to/issues"])
    for hit in library.search("招商"):
        print(hit.title, hit.snippet)

Names are imported on first use so that `import bulletin_tui` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bulletin_tui.library import Library, open_library
    from bulletin_tui.model import Article, Block, FileError, Hit, Issue, Section

__version__ = "0.1.0"

__all__ = ["Article", "Block", "FileError", "Hit", "Issue", "Library", "Section", "open_library"]

_HOMES = {
    "open_library": "bulletin_tui.library",
    "Library": "bulletin_tui.library",
    "Article": "bulletin_tui.model",
    "Block": "bulletin_tui.model",
    "FileError": "bulletin_tui.model",
    "Hit": "bulletin_tui.model",
    "Issue": "bulletin_tui.model",
    "Section": "bulletin_tui.model",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'bulletin_tui' has no attribute {name!r}")
