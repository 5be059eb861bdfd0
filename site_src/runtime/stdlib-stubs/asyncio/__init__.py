"""Stub: the calculator's runtime runs no async Python; Pyodide's C core imports asyncio at start-up."""
class Future:
    pass


class Task(Future):
    pass


def get_event_loop():
    raise RuntimeError("no event loop in this runtime")


get_running_loop = get_event_loop


def ensure_future(obj, *, loop=None):
    raise RuntimeError("no event loop in this runtime")


def iscoroutine(obj):
    return False


async def sleep(delay, result=None):
    return result
