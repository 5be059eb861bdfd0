"""Stand-in: pyodide._package_loader registers the wheel format with shutil at start-up, and pyodide.common
imports it; both use it only to install packages, which the calculator never does."""

_unpack_formats = {}


def register_archive_format(name, function, extra_args=None, description=""):
    pass


def register_unpack_format(name, extensions, function, extra_args=None, description=""):
    _unpack_formats[name] = (name, extensions, description)


def get_unpack_formats():
    return list(_unpack_formats.values())


def _unsupported(*args, **kwargs):
    raise NotImplementedError("shutil is not part of the calculator's runtime")


_make_zipfile = _unpack_zipfile = _unsupported


def __getattr__(name):
    raise AttributeError(f"shutil.{name} is not part of the calculator's runtime")
