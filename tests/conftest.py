import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The browser fixtures (one served build, one Chromium) are shared by every browser test module:
# registered here once, so the session has a single Playwright instance.
from browser import chromium, site_server  # noqa: E402,F401

# No per-example deadline: these machines are shared and noisy, and a slow example is not a wrong one.
from hypothesis import settings  # noqa: E402

settings.register_profile("project", deadline=None)
settings.load_profile("project")
