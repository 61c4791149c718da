#!/usr/bin/env python3
"""Measure the portal's one-stop search in headless Chromium over an existing built site.

Usage:
    python benchmarks/search.py SITE_DIR [--runs N] [--query 招生 ...] [--offline] [--chromium /usr/bin/chromium]

SITE_DIR is the site/ folder of a `gkml build` (for example one of a tree made by
benchmarks/generate.py --scale full). The script builds nothing: it serves SITE_DIR with
http.server on 127.0.0.1 (HTTP/1.1, so Chromium opens at most 6 connections), or with --offline
opens it from disk over file:// as the offline portal is used (no connection limit; Chromium
reports no resource timing there, so the files are the script tags the page adds and their sizes
on disk). It opens search.html in a fresh browser context for every run (so no
index file is cached from an earlier query), waits until the page has loaded, then times from
submitting the query to the results being on screen (the status line's data-state="done").
It prints, per query, the median and worst time, the number of results, and the index files
and bytes the query loaded; then the size of the home page and of the index.

With --pagefind CATALOGS (the catalog folder SITE_DIR was built from), it then measures the peer a
portal team would otherwise pick: it installs Pagefind from npm into a temporary folder (never
into the repository), indexes a copy of the same site, serves both over HTTP and, for each
realistic query of tests/data/search/ (quality.yaml and holdout.yaml), prints each engine's time
to its first result, bytes fetched, and which expected catalog pages it finds (the pages holding
the matters the query must find, from the catalogs' model): the recall compared.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

# (label, query string for search.html): common words, rare words, several words, filters
QUERIES = [
    ("公开", {"q": "公开"}),
    ("招生", {"q": "招生"}),
    ("信息公开", {"q": "信息公开"}),
    ("政府信息公开条例", {"q": "政府信息公开条例"}),
    ("砀山县 教育", {"q": "砀山县 教育"}),
    ("less common: 殡葬", {"q": "殡葬"}),
    ("less common: 农机购置", {"q": "农机购置"}),
    ("absent: 低保", {"q": "低保"}),
    ("one character: 税", {"q": "税"}),
    ("招生 + county + 依申请", {"q": "招生", "level": "county", "method": "依申请"}),
    ("公开 + 政府网站 + 特定群体", {"q": "公开", "channel": "0", "audience": "特定群体"}),
    ("unit 教育 + 公开", {"q": "公开", "unit": "教育"}),
    ("county + 依申请 (no words)", {"level": "county", "method": "依申请"}),
]

SUBMIT = """async (params) => {
  const ids = ["q", "level", "region", "area", "unit", "channel", "audience", "method"];
  for (const id of ids) { document.getElementById(id).value = params[id] || ""; }
  const status = document.getElementById("status");
  // the index files the query adds (file:// reports no resource timing: the script tags are counted)
  const added = [];
  const watch = new MutationObserver((list) => { for (const m of list) { for (const n of m.addedNodes) {
    if (n.tagName === "SCRIPT" && n.src.includes("/search/")) { added.push(n.src.split("/search/")[1]); } } } });
  watch.observe(document.head, {childList: true});
  const started = performance.now();
  document.getElementById("search").requestSubmit();
  let counted = null;
  await new Promise((resolve) => {
    const look = (observer) => {
      const state = status.getAttribute("data-state");
      if (counted === null && (state === "counted" || state === "done")) { counted = performance.now() - started; }
      if (state === "done") { if (observer) { observer.disconnect(); } resolve(); }
    };
    new MutationObserver((list, observer) => look(observer)).observe(status, {attributes: true});
    look(null);
  });
  const ms = performance.now() - started;
  watch.disconnect();
  const loaded = performance.getEntriesByType("resource").filter((e) => e.startTime >= started && e.name.includes("/search/"));
  return {ms: ms, counted: counted, status: status.textContent, shown: document.querySelectorAll("#results li").length,
          files: loaded.length, bytes: loaded.reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0), added: added,
          timeline: loaded.map((e) => [e.name.split("/search/")[1], Math.round(e.startTime - started), Math.round(e.responseEnd - started)])};
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static server with keep-alive (HTTP/1.1) and TCP_NODELAY, as production web servers have."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True   # TCP_NODELAY, as nginx and others: no 40 ms delayed-ACK stalls on keep-alive

    def log_message(self, *args) -> None:
        pass


def serve(site: str) -> None:
    """Serve site on 127.0.0.1 (a free port, printed on the first line) until terminated."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
    print(httpd.server_port, flush=True)
    httpd.serve_forever()


def main() -> int:
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", action="append", help="only these words (default: the built-in set)")
    parser.add_argument("--verbose", action="store_true", help="print each run's index file timeline")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--offline", action="store_true",
                        help="open the site from disk (file://, as the offline portal is used) instead of over HTTP")
    parser.add_argument("--json", action="store_true",
                        help="end with one line of JSON: the medians, the page and index sizes (benchmarks/run.py reads it)")
    parser.add_argument("--pagefind", type=Path, metavar="CATALOGS",
                        help="also compare with Pagefind (from npm, in a temporary folder) over the same site; "
                             "CATALOGS is the folder the site was built from (for the expected matters)")
    args = parser.parse_args()
    site = args.site.resolve()
    if args.pagefind:
        return compare(site, args.pagefind.resolve(), args.runs, args.chromium)
    if not (site / "search.html").exists() or not (site / "search/manifest.js").exists():
        parser.error(f"{site} is not a built site folder (no search.html or search/manifest.js)")
    queries = [(q, {"q": q}) for q in args.query] if args.query else QUERIES
    summary = measure(site, queries, args.runs, args.chromium, args.offline, args.verbose)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def measure(site: Path, queries, runs: int, chromium: str, offline: bool, verbose: bool = False) -> dict:
    """Time each query in fresh browser contexts over a built site; print a line each and return
    the summary (median and worst query median in ms, home page and index sizes)."""
    from playwright.sync_api import sync_playwright
    if offline:   # no server: Chromium reads the files itself (file:// reports no sizes: KB are the files' on disk)
        server, base = None, site.as_uri() + "/"
    else:
        # the server runs in its own process, so it never waits for this one (Playwright) to yield the GIL
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(site)], stdout=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}/"
    home = (site / "index.html").stat().st_size
    index = sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file())
    index_files = sum(1 for p in (site / "search").rglob("*") if p.is_file())
    print(f"site {base if offline else site} ({'file://' if offline else 'HTTP/1.1'}); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"home page index.html {home / 1024:.1f} KB (no script, no index); "
          f"search index {index_files} files, {index / 1e6:.1f} MB; "
          f"manifest {(site / 'search/manifest.js').stat().st_size / 1024:.0f} KB")
    medians, per_query = [], {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            home_requests = []
            context = browser.new_context()
            page = context.new_page()
            page.on("request", lambda r: home_requests.append(r.url))
            started = time.perf_counter()
            page.goto(base + "index.html", wait_until="load")
            print(f"home page: {len(home_requests)} requests, loaded in {(time.perf_counter() - started) * 1000:.0f} ms, "
                  f"search files requested: {sum('/search/' in u for u in home_requests)}")
            context.close()
            print("median ms from submitting the query to: the number of results shown (count), the first page of "
                  "results on screen (done); max = slowest run (done); files and KB = index files the query loaded")
            print(f"{'query':30} {'count':>7} {'done':>9} {'max':>7} {'results':>8} {'files':>5} {'KB':>6}")
            for label, params in queries:
                times, counts, loaded, result = [], [], [], None
                for _ in range(runs):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(base + "search.html", wait_until="load")
                    page.wait_for_function("document.getElementById('status').getAttribute('data-state') === 'ready'")
                    result = page.evaluate(SUBMIT, params)
                    times.append(result["ms"])
                    counts.append(result["counted"])
                    if offline:   # the files the query added, their sizes from disk
                        loaded.append((len(result["added"]), sum((site / "search" / name).stat().st_size for name in result["added"])))
                    else:
                        loaded.append((result["files"], result["bytes"]))
                    if verbose:
                        print(f"   {result['ms']:.1f} ms {result['timeline']}")
                    context.close()
                median = statistics.median(times)
                medians.append(median)
                per_query[label] = round(median, 1)
                count = result["status"].split("个")[0].replace("找到", "").strip() if result["status"].startswith("找到") else "0"
                label = label if len(label) < 16 else label[:15] + "…"
                files, size = loaded[-1][0], f"{loaded[-1][1] / 1024:.0f}"
                print(f"{label:30} {statistics.median(counts):7.1f} {median:9.1f} {max(times):7.1f} {count:>8} "
                      f"{files:>5} {size:>6}   ?{urlencode(params)}")
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    print(f"median over all queries: {statistics.median(medians):.1f} ms; worst query median: {max(medians):.1f} ms; "
          f"load average now {os.getloadavg()[0]:.1f}")
    return {"median_ms": round(statistics.median(medians), 1), "worst_ms": round(max(medians), 1),
            "home_kb": round(home / 1024, 1), "index_files": index_files, "index_mb": round(index / 1e6, 1),
            "manifest_kb": round((site / "search/manifest.js").stat().st_size / 1024), "queries": per_query}


# --- Pagefind, the peer ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
PAGEFIND_PAGE = """<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>pagefind</title><body>
<script type="module">
window.pf = await import("./pagefind/pagefind.js");
await window.pf.init();
window.ready = true;
</script></body></html>
"""

PAGEFIND_SEARCH = """async (q) => {
  const started = performance.now();
  const found = await window.pf.search(q);
  const first = found.results.length ? await found.results[0].data() : null;
  const ms = performance.now() - started;
  // every index byte the page fetched up to its first answer, the set-up (init) included
  const loaded = performance.getEntriesByType("resource").filter((e) => e.name.includes("/pagefind/"));
  const bytes = loaded.reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0);
  const urls = [];
  for (const r of found.results) { urls.push((await r.data()).url); }
  return {ms: ms, bytes: bytes, files: loaded.length, urls: urls, first: first ? first.url : null};
}"""

GKML_SEARCH = """async (q) => {
  const status = document.getElementById("status");
  const started = performance.now();
  document.getElementById("q").value = q;
  document.getElementById("search").requestSubmit();
  const done = () => status.getAttribute("data-state") === "done";
  while (!done()) { await new Promise((r) => setTimeout(r, 1)); }
  const ms = performance.now() - started;
  const loaded = performance.getEntriesByType("resource").filter((e) => e.name.includes("/search/") || e.name.includes("/static/search"));
  const bytes = loaded.reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0);
  const more = document.getElementById("more");
  while (!more.hidden) { more.click(); await new Promise((r) => setTimeout(r, 1)); while (!done()) { await new Promise((r) => setTimeout(r, 1)); } }
  const urls = Array.from(document.querySelectorAll("#results li h2 a"), (a) => a.getAttribute("href").split("#")[0]);
  return {ms: ms, bytes: bytes, files: loaded.length, urls: urls};
}"""


def expected_pages(catalogs: Path) -> list[tuple[str, str, set[str]]]:
    """(set name, query, the catalog pages holding the matters it must find) for tests/data/search/."""
    import yaml
    sys.path.insert(0, str(ROOT))
    from compiler.builders.common import gather
    from compiler.pipeline import Options, check
    result = check(Options(paths=(str(catalogs),), cache=False))
    site = gather(result.project.catalogs, result.project.registry)
    rows = [(" / ".join(n for n in (i.matter, i.sub_matter, i.third_matter) if n), page.html_path)
            for page in site.pages for i in page.catalog.items]
    out = []
    for name in ("quality", "holdout"):
        for case in yaml.safe_load((ROOT / "tests/data/search" / f"{name}.yaml").read_text("utf-8")):
            pages = {path for want in case["must"] for title, path in rows if want in title}
            out.append((name, case["q"], pages))
    return out


def install_pagefind(folder: Path) -> Path:
    """Pagefind's binary, installed from npm into folder (a temporary one: nothing in the repository)."""
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), "pagefind"],
                   check=True, capture_output=True)
    return folder / "node_modules" / ".bin" / "pagefind"


def compare(site: Path, catalogs: Path, runs: int, chromium: str) -> int:
    """gkml's search against Pagefind over the same site: time, bytes and recall per realistic query."""
    cases = expected_pages(catalogs)
    with tempfile.TemporaryDirectory(prefix="gkml-pagefind-") as tmp:
        work = Path(tmp)
        binary = install_pagefind(work / "npm")
        copy = work / "site"
        shutil.copytree(site, copy)
        started = time.perf_counter()
        run = subprocess.run([str(binary), "--site", str(copy)], check=True, capture_output=True, text=True)
        took = time.perf_counter() - started
        version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
        (copy / "pagefind-bench.html").write_text(PAGEFIND_PAGE, "utf-8")
        size = lambda folder: (sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),   # noqa: E731
                               sum(1 for p in folder.rglob("*") if p.is_file()))
        (pf_bytes, pf_files), (gk_bytes, gk_files) = size(copy / "pagefind"), size(copy / "search")
        print(f"{version}: indexed in {took:.1f} s ({run.stdout.strip().splitlines()[-3:] if run.stdout else ''})")
        print(f"index: gkml {gk_files} files {gk_bytes / 1e6:.2f} MB; Pagefind {pf_files} files {pf_bytes / 1e6:.2f} MB")
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(copy)], stdout=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}/"
        from playwright.sync_api import sync_playwright
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
              f"engines alternate query by query, {runs} runs each in fresh browser contexts")
        totals = {"gkml": [0, 0, []], "pagefind": [0, 0, []]}
        rows = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=ARGS)
                for name, query, pages in cases:
                    got = {}
                    for engine, url, ready, script in (
                            ("gkml", "search.html", "document.getElementById('status').getAttribute('data-state') === 'ready'", GKML_SEARCH),
                            ("pagefind", "pagefind-bench.html", "window.ready === true", PAGEFIND_SEARCH)):
                        times, result = [], None
                        for _ in range(runs):
                            context = browser.new_context()
                            page = context.new_page()
                            page.goto(base + url, wait_until="load")
                            page.wait_for_function(ready)
                            result = page.evaluate(script, query)
                            times.append(result["ms"])
                            context.close()
                        urls = {u.lstrip("/") for u in result["urls"]}
                        hit = len(pages & urls)
                        totals[engine][0] += hit
                        totals[engine][1] += len(pages)
                        totals[engine][2].append(statistics.median(times))
                        got[engine] = (statistics.median(times), result["bytes"], hit, len(result["urls"]))
                    rows.append((name, query, len(pages), got))
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print("| set | query | expected pages | gkml: ms, KB, found, results | Pagefind: ms, KB, found, results |")
    print("|---|---|---:|---|---|")
    for name, query, expected, got in rows:
        cells = [f"{ms:.1f} ms, {size / 1024:.0f} KB, {hit}/{expected}, {count}" for ms, size, hit, count in
                 (got["gkml"], got["pagefind"])]
        print(f"| {name} | {query} | {expected} | {cells[0]} | {cells[1]} |")
    for engine, (hit, wanted, times) in totals.items():
        print(f"{engine}: recall {hit}/{wanted} = {hit / max(wanted, 1):.1%}; median ms {statistics.median(times):.1f}, "
              f"worst {max(times):.1f}")
    print(json.dumps({e: {"recall": t[0] / max(t[1], 1), "median_ms": statistics.median(t[2])} for e, t in totals.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
