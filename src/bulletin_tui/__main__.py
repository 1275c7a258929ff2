"""`python -m bulletin_tui`."""

from bulletin_tui.cli import main

raise SystemExit(main())
