"""Permission-matrix rows for this app's routes (see tests/access/__init__.py)."""

ROUTES = {}
