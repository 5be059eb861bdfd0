"""The site build as a package of stages: load, compute, render, write, check (and serve).
Owns nothing itself; build.py is the command line, sitebuild.pipeline.build the whole run.

    config      paths, languages, site paths, the CSP, BuildError
    load        site.toml, content/{zh,en}/*.md, examples.toml, the policy text (through policytext)
    policytext  the policy text parsed into anchored blocks, both languages aligned line by line
    format      every number and amount as the pages show it
    fragment    a request as the URL fragment that QR codes and calculator links carry
    compute     the form's field kinds, catalogue and clause checks, worked examples, rate rows
    render      Jinja2 pages (one module per page kind) into {site path: bytes}
    runtime     the calculator's Pyodide runtime bundle, precompression, the service worker
    publicity   QR codes for posters and leaflets
    sitemap     sitemap.xml and robots.txt
    write       the output folder
    checks      links, anchors, language pairs, hreflang and canonical in what was written
    serve       the development/kiosk HTTP server
    pipeline    load -> compute -> render -> write -> check
"""
