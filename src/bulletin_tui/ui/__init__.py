"""The Textual app: the one face that imports Textual (the core never imports this package)."""
