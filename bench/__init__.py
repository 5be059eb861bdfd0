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

Then, under each network profile (--profiles; "4g" = 4 Mbit/s + 150 ms per request, "slow4g" =
1.6 Mbit/s + 150 ms), throttled by the server itself (one bandwidth limit shared by every
connection, so workers and the service worker are throttled too, which Chromium's emulation is
not), cold, both sides: time and bytes to the first result of (a) the typed scenario, (b) a
worked-example link #ex=<id> as the leaflet QR codes spell it, (c) the calculator after the home
page was open 10 s; and the floor, what the .wasm alone costs on that link.

Modules: site (build, baseline, precompression), server (HTTP with caching and encodings, the
throttle), measure (Playwright), lighthouse, report (table and JSON), cli (the command).
Experiments, not part of the run: bytes_experiments (stdlib variants, wasm-opt), percall (+ percall.mjs:
the per-call cost of calculate_json under Node).
"""
