"""Stub of pyodide.webloop for a runtime that never runs async Python (the calculator's)."""
from .ffi import IN_PYODIDE

if IN_PYODIDE:
    # the real module takes this JS reference on import; a memory snapshot expects it (hiwire index 3 = API)
    from pyodide_js._api import scheduleCallback  # noqa: F401


def _initialize_event_loop():
    pass
