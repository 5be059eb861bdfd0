"""The side-by-side performance benchmark: `python -m bench` (or `./dev bench`).

One run builds the site into a temporary folder, writes a baseline beside it (a minimal page
that loads stock Pyodide from the npm package's full file set with loadPyodide() defaults,
imports the rule module and computes one result), precompresses both as a production host
would, serves them from one local HTTP server, and measures both in headless Chromium:

    bytes to first result    on the wire (compressed, headers included), workers and service worker included
    cold time                navigation start -> first result in the DOM, empty cache
    warm time                the same, second visit in the same browser context (HTTP cache, service worker)
    calculate()              one call of calculate_json inside Pyodide (median)
    keystroke -> result      keydown in an input -> the results region updated

plus the compressed HTML+CSS+JS weight of every non-calculator page, a check that those pages
do not download the Python runtime, and (unless --quick/--no-lighthouse) Lighthouse scores.

Modules: site (build, baseline, precompression), server (HTTP with caching and encodings),
measure (Playwright), lighthouse, report (table and JSON), cli (the command).
"""
