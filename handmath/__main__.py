"""``python -m handmath`` runs the command-line tool."""

from handmath.cli import main

raise SystemExit(main())
