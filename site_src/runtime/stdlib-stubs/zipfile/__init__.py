"""Stand-in: pyodide._package_loader imports ZipFile at start-up to install packages; the calculator installs none.
The rule module's zip is written into the file system by load-rules.mjs, without this module."""


class ZipFile:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("zipfile is not part of the calculator's runtime")
