"""Test support: a real LRS (Ralph), the State API and cmi5 fetch URL that an LMS would serve, and
xAPI statement validation. See tests/lrs/README.md."""
