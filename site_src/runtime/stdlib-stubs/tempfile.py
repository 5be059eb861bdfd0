"""Stand-in: pyodide._package_loader imports NamedTemporaryFile at start-up to unpack packages; the calculator
unpacks none and writes no file."""


def NamedTemporaryFile(*args, **kwargs):
    raise NotImplementedError("tempfile is not part of the calculator's runtime")


def __getattr__(name):
    raise AttributeError(f"tempfile.{name} is not part of the calculator's runtime")
