"""Stub: importlib.metadata imports email at start-up; the calculator parses no mail."""
