"""Measure how the whole pipeline scales, side by side in one run.

    python benchmarks/run.py [--sizes 1000,4000] [--repeat 3] [--write-docs]

For each catalogue size it generates synthetic cases (benchmarks/synth.py) and
measures, as separate processes so each has its own peak memory: parsing only
(yaml.CSafeLoader), `casebook validate`, page generation, `mkdocs build` of the
generated pages alone, the full `casebook build` and `casebook export`. It also
records the built site's size, one case page's HTML size, the hex map's bytes on the map and
home pages and its render time beside the full build's, the bytes the first
search transfers in Chromium on the search page, and the bytes a first search
from the home page transfers in all (the home page itself included), served
compressed as a static host serves it. Each timing is the median of --repeat runs
(the machines are shared and noisy), and the report prints the target ratios
with pass or fail. Results go to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PARSE = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
)
GENERATE = (
    "import sys, pathlib\n"
    "from generator.core.project import Project\n"
    "from generator.site.build import generate\n"
    "generate(Project.load(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))\n"
)


def _peak_mb(pid: int) -> float | None:
    """The process's own peak resident memory so far (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(command: list[str], cwd: Path = ROOT, expect: int = 0) -> tuple[float, float]:
    """Run a command to completion; return (wall seconds, peak memory of its main process in MB).

    Memory is sampled from /proc every 20 ms (VmHWM only grows, so the last
    sample is the peak up to then); ru_maxrss is not used because it includes
    the memory of the parent the process was forked from.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _peak_mb(process.pid) or 0.0)
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != expect:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr[-2000:]}")
    return elapsed, peak


def median_run(
    command: list[str], repeat: int, cwd: Path = ROOT, before: Any = None, expect: int = 0
) -> dict[str, float]:
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            before()
        elapsed, peak = run(command, cwd, expect)
        times.append(elapsed)
        peaks.append(peak)
    return {
        "seconds": round(statistics.median(times), 3),
        "peak_mb": round(max(peaks), 1),
        "runs": [round(t, 3) for t in times],
    }


def project(size: int, seed: int) -> Path:
    """A folder with the site's sources and a synthetic catalogue of ``size`` cases."""
    sys.path.insert(0, str(HERE))
    from synth import write_catalogue

    folder = OUT / f"n{size}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs", ignore=shutil.ignore_patterns("catalogue"))
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    write_catalogue(size, folder / "cases", seed)
    # The hand-written pages' links to bundled cases, as plain text: a broken link stops the build.
    for page in (folder / "docs").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\[([^\]]*)\]\(catalogue/cases/[a-z0-9-]+\.md\)", r"\1", text), encoding="utf-8")
    return folder


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# What a static host (GitHub Pages, for one) sends compressed: text. Pagefind's
# index files are compressed already and the WebAssembly module is left as it is.
_COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Gzipped(_Quiet):
    """Serves text files gzip-compressed to a client that accepts it, as a static host does."""

    cache: dict[str, bytes] = {}

    def do_GET(self) -> None:
        import gzip

        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        wanted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wanted and os.path.isfile(path) and kind.startswith(_COMPRESSED)):
            super().do_GET()
            return
        if path not in self.cache:
            self.cache[path] = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


class _Served:
    """A built site served on 127.0.0.1 for the browser measurements."""

    def __init__(self, site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> _Served:
        return self

    def __exit__(self, *args: Any) -> None:
        self.server.shutdown()


def filter_latency(site: Path, clicks: int = 7) -> dict[str, float]:
    """Milliseconds from ticking a filter to the table and count being updated, in Chromium."""
    from playwright.sync_api import sync_playwright

    script = """async (clicks) => {
        const boxes = [...document.querySelectorAll('#cb-filters input[type=checkbox]')];
        const times = [];
        for (let i = 0; i < clicks; i++) {
            const box = boxes[i % boxes.length];
            const start = performance.now();
            box.click();                       // change handler filters the table synchronously
            document.body.getBoundingClientRect();  // and the browser lays it out
            times.push(performance.now() - start);
            await new Promise(r => requestAnimationFrame(() => r()));
        }
        return times;
    }"""
    with _Served(site) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{served.url}/catalogue/")
        page.wait_for_function("() => window.casebookCatalogue !== undefined", timeout=120_000)
        times = page.evaluate(script, clicks)
        browser.close()
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def first_search_bytes(site: Path, query: str = "council") -> int:
    """Bytes Chromium transfers to load the search page and show the first results."""
    from playwright.sync_api import sync_playwright

    responses: list[Any] = []
    with _Served(site) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.on("response", lambda response: responses.append(response))  # bodies read below, page open
        page.goto(f"{served.url}/search/?q={query}")
        page.wait_for_selector(".cb-hsearch__results a", timeout=60_000)
        page.wait_for_load_state("networkidle")
        sizes = {response.url: len(response.body()) if response.ok else 0 for response in responses}
        browser.close()
    return sum(sizes.values())


def first_home_search(site: Path, query: str = "council") -> dict[str, int]:
    """Bytes Chromium transfers from opening the home page to the first results of a header search.

    Everything counts: the home page and its styles and scripts, then the
    search's script, Pagefind, its index chunks and the results' fragments.
    "transferred" is what crossed the wire (bodies as sent, compressed where
    the server compressed them, plus response headers); "decoded" is the same
    responses' bodies uncompressed.
    """
    from playwright.sync_api import sync_playwright

    wire: dict[str, int] = {}
    decoded: dict[str, int] = {}
    with _Served(site, _Gzipped) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        finished: list[Any] = []
        page.on("requestfinished", lambda request: finished.append(request))  # read below, page open
        page.goto(served.url + "/")
        page.wait_for_load_state("networkidle")
        page.click("#cb-hsearch-input")
        page.keyboard.type(query)
        page.wait_for_selector(".cb-hsearch__results a", timeout=60_000)
        page.wait_for_load_state("networkidle")
        for request in finished:
            sizes = request.sizes()
            wire[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            response = request.response()
            decoded[request.url] = len(response.body()) if response and response.ok else 0
        browser.close()
    return {"transferred": sum(wire.values()), "decoded": sum(decoded.values()), "requests": len(wire)}


def measure(size: int, repeat: int, seed: int, search: bool = True) -> dict[str, Any]:
    folder = project(size, seed)
    cases, config, site = folder / "cases", folder / "mkdocs.yml", folder / "site"
    casebook = [PYTHON, "-m", "generator"]
    result: dict[str, Any] = {"size": size}
    result["parse"] = median_run([PYTHON, "-c", PARSE, str(cases)], repeat)
    result["validate"] = median_run([*casebook, "validate", str(cases)], repeat)
    result["generate"] = median_run([PYTHON, "-c", GENERATE, str(cases), str(config)], repeat)
    mkdocs_site = folder / "mkdocs-site"
    result["mkdocs_build"] = median_run(
        [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(mkdocs_site)],
        repeat,
        cwd=folder,
        before=lambda: shutil.rmtree(mkdocs_site, ignore_errors=True),
    )
    result["full_build"] = median_run(
        [*casebook, "build", "--cases", str(cases), "--config", str(config), "--site-dir", str(site)], repeat
    )
    export_dir = folder / "export"
    result["export"] = median_run(
        [*casebook, "export", "--cases", str(cases), "--out", str(export_dir), "--quiet"], repeat
    )
    result["edit_to_page"] = edit_to_page(folder, max(repeat, 3))
    result["site_bytes"] = folder_bytes(site)
    pages = sorted((site / "catalogue" / "cases").glob("*/index.html"))
    result["case_page_bytes"] = max(p.stat().st_size for p in pages[:200])
    result["catalogue_payload_bytes"] = (site / "catalogue" / "catalogue-data.json").stat().st_size
    result["hexmap"] = hexmap_figures(cases, site, repeat)
    if search:
        result["first_search_bytes"] = first_search_bytes(site)
        result["first_home_search"] = first_home_search(site)
        result["filter"] = filter_latency(site)
    shutil.rmtree(mkdocs_site, ignore_errors=True)
    return result


MAP_FIGURE = re.compile(r'<figure class="cb-hexmap.*?</figure>', re.S)


def hexmap_figures(cases: Path, site: Path, repeat: int) -> dict[str, Any]:
    """The hex map's bytes on the built map and home pages, and its render time (counting the cases
    per district and drawing the SVG, the median of ``repeat`` runs) beside the full build's."""
    sys.path.insert(0, str(ROOT))
    from generator import load_catalogue
    from generator.site.pages.common import linker as _linker
    from generator.site.pages.map import hexmap_html, map_counts

    catalogue = load_catalogue([cases])
    link = _linker("map/index.md")
    times = []
    for _ in range(max(repeat, 5)):
        started = time.perf_counter()
        hexmap_html(map_counts(catalogue), link)
        times.append(time.perf_counter() - started)

    def figure_bytes(page: Path) -> int:
        found = MAP_FIGURE.search(page.read_text(encoding="utf-8"))
        return len(found.group(0).encode()) if found else 0

    return {
        "page_bytes": figure_bytes(site / "catalogue" / "map" / "index.html"),
        "home_bytes": figure_bytes(site / "index.html"),
        "render_seconds": statistics.median(times),
    }


def edit_to_page(folder: Path, repeat: int) -> dict[str, Any]:
    """Seconds from saving an edited case to ``casebook serve`` serving the changed page, as a
    browser polling the page would see it (the file watcher's pause for more edits included)."""
    import urllib.request

    def fetch(url: str) -> str:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")

    cases = sorted((folder / "cases").glob("*.yaml"))
    case = cases[len(cases) // 2]
    original = case.read_text(encoding="utf-8")
    command = [PYTHON, "-m", "generator", "serve", "--cases", str(folder / "cases"),
               "--config", str(folder / "mkdocs.yml"), "--site-dir", str(folder / "serve-site"),
               "--dev-addr", "127.0.0.1:0"]  # fmt: skip
    log = folder / "serve.log"  # a file, not a pipe: a full pipe would stall the server's warnings
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"}
        )
    try:
        started = time.perf_counter()
        while "\nBuilt " not in "\n" + log.read_text(encoding="utf-8"):
            if server.poll() is not None or time.perf_counter() - started > 600:
                raise RuntimeError(f"casebook serve did not start:\n{log.read_text(encoding='utf-8')[-2000:]}")
            time.sleep(0.2)
        url = re.search(r"http://127\.0\.0\.1:\d+/", log.read_text(encoding="utf-8"))[0]
        page = f"{url}catalogue/cases/{case.stem}/"
        times = []
        summary = re.search(r"^summary: (.{12})", original, re.M)
        assert summary, case
        for n in range(repeat):
            marker = f"Ed{n}x{time.time_ns() % 10**7:07d}"  # as long as the words it replaces: a valid edit
            case.write_text(original.replace(summary.group(0), f"summary: {marker}", 1), encoding="utf-8")
            started = time.perf_counter()
            while marker not in fetch(page):
                if time.perf_counter() - started > 120:
                    raise RuntimeError(f"the edit never reached {page}:\n{log.read_text(encoding='utf-8')[-2000:]}")
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
            time.sleep(1)  # let the background search index finish, as between a user's edits
    finally:
        case.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=60)
    return {"seconds": round(statistics.median(times), 3), "runs": [round(t, 3) for t in times]}


def validate_only(size: int, repeat: int, seed: int) -> dict[str, Any]:
    folder = project(size, seed)
    cases = folder / "cases"
    return {
        "size": size,
        "parse": median_run([PYTHON, "-c", PARSE, str(cases)], repeat),
        "validate": median_run([PYTHON, "-m", "generator", "validate", str(cases)], repeat),
        "export": median_run(
            [PYTHON, "-m", "generator", "export", "--cases", str(cases), "--out", str(folder / "export"), "--quiet"],
            repeat,
        ),
    }


def worst_cases(repeat: int) -> dict[str, Any]:
    """The bundled catalogue built alone and beside each worst-case file of benchmarks/worst.py, and
    each file validated and reviewed, side by side in one run. The refused file stops the build at
    validation (exit status 1); the allowed one is built."""
    sys.path.insert(0, str(HERE))
    from worst import write

    folder = OUT / "worst"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "cases"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, folder / name)
    shutil.rmtree(folder / "docs" / "catalogue", ignore_errors=True)
    refused, allowed = write(folder / "worst")
    casebook = [PYTHON, "-m", "generator"]

    def build(extra: Path | None, expect: int = 0) -> dict[str, float]:
        cases = folder / "cases"
        for old in cases.glob("worst-*.yaml"):
            old.unlink()
        if extra:
            shutil.copy(extra, cases / extra.name)
        site = ["--site-dir", str(folder / "site")]
        return median_run([*casebook, "build", "--cases", str(cases), "--config", str(folder / "mkdocs.yml"), *site],
                          repeat, expect=expect)  # fmt: skip

    result: dict[str, Any] = {
        "build": build(None),
        "build_allowed": build(allowed),
        "build_refused": build(refused, expect=1),
    }
    for file in (allowed, refused):
        result[f"validate_{file.stem}"] = median_run(
            [*casebook, "validate", str(file)], repeat, expect=int(file == refused)
        )
        review = [*casebook, "review", "--cases", str(ROOT / "cases"), str(file)]
        result[f"review_{file.stem}"] = median_run(review, repeat, expect=int(file == refused))
    build(None)
    return result


def check(name: str, value: float | None, limit: float, unit: str = "") -> dict[str, Any]:
    return {
        "target": name,
        "value": None if value is None else round(value, 3),
        "limit": limit,
        "unit": unit,
        "pass": value is not None and value <= limit,
    }


def targets(runs: list[dict[str, Any]], extra: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in runs:
        n = r["size"]
        rows.append(check(f"validate / parse at {n:,}", r["validate"]["seconds"] / r["parse"]["seconds"], 1.3))
        if n == 1000:  # the target is set at 1,000 cases; the table reports every size
            rows.append(check(f"casebook serve: edit to page at {n:,}", r["edit_to_page"]["seconds"], 2, "s"))
        rows.append(
            check(
                f"full build / mkdocs-only build at {n:,}",
                r["full_build"]["seconds"] / r["mkdocs_build"]["seconds"],
                1.25,
            )
        )
        # generation loads and validates the catalogue itself, so it is all of our own work
        rows.append(
            check(
                f"our work (load, validate, generate) / mkdocs-only build at {n:,}",
                r["generate"]["seconds"] / r["mkdocs_build"]["seconds"],
                0.25,
            )
        )
        rows.append(check(f"largest case page HTML at {n:,}", r["case_page_bytes"] / 1024, 60, "KB"))
        rows.append(check(f"hex map on the map page at {n:,}", r["hexmap"]["page_bytes"] / 1024, 60, "KB"))
        rows.append(check(f"hex map render at {n:,}", r["hexmap"]["render_seconds"], 0.1, "s"))
    if "validate_10000" in extra:
        v = extra["validate_10000"]
        rows.append(check("validate / parse at 10,000", v["validate"]["seconds"] / v["parse"]["seconds"], 1.3))
        rows.append(check("export / parse at 10,000", v["export"]["seconds"] / v["parse"]["seconds"], 1.8))
        rows.append(check("export of 10,000 cases", v["export"]["seconds"], 10, "s"))
    by_size = {r["size"]: r for r in runs}
    for small in sorted(by_size):
        big = by_size.get(small * 4)
        if not big:
            continue
        for step in ("validate", "generate", "mkdocs_build", "full_build", "export"):
            rows.append(
                check(
                    f"time {step} {small * 4:,} / {small:,}",
                    big[step]["seconds"] / by_size[small][step]["seconds"],
                    4.5,
                )
            )
        rows.append(
            check(f"site bytes {small * 4:,} / {small:,}", big["site_bytes"] / by_size[small]["site_bytes"], 4.5)
        )
    worst = extra.get("worst")
    if worst:
        base = worst["build"]["seconds"]
        rows.append(
            check(
                "build with the largest allowed Markdown / build without", worst["build_allowed"]["seconds"] / base, 3
            )
        )
        rows.append(check("build with refused nesting / build without", worst["build_refused"]["seconds"] / base, 3))
        for name in ("worst-allowed", "worst-refused"):
            ratio = worst[f"review_{name}"]["seconds"] / worst[f"validate_{name}"]["seconds"]
            rows.append(check(f"review / validate of {name}", ratio, 5))
    search = extra.get("search_5000")
    rows.append(check("first search transfer at 5,000 cases", search / 1e6 if search else None, 1, "MB"))
    home = extra.get("home_search_5000")
    rows.append(
        check(
            "first search from the home page, bytes transferred at 5,000 cases",
            home["transferred"] / 1e6 if home else None,
            0.5,
            "MB",
        )
    )
    latency = extra.get("filter_5000")
    rows.append(
        check("catalogue filter update at 5,000 cases (median)", latency["median_ms"] if latency else None, 100, "ms")
    )
    payload = extra.get("payload_5000")
    rows.append(check("catalogue data payload at 5,000 cases", payload / 1e6 if payload else None, 1.5, "MB"))
    return rows


def machine() -> dict[str, Any]:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = next(
            (line.split(":")[1].strip() for line in meminfo.read_text().splitlines() if line.startswith("MemTotal")), ""
        )
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def table(runs: list[dict[str, Any]], rows: list[dict[str, Any]]) -> str:
    lines = ["| step | " + " | ".join(f"{r['size']:,} cases" for r in runs) + " |", "|---|" + "---|" * len(runs)]
    for step in ("parse", "validate", "generate", "mkdocs_build", "full_build", "export"):
        cells = [f"{r[step]['seconds']:.2f} s, {r[step]['peak_mb']:.0f} MB" for r in runs]
        lines.append(f"| {step.replace('_', ' ')} | " + " | ".join(cells) + " |")
    lines.append("| serve: edit to page | " + " | ".join(f"{r['edit_to_page']['seconds']:.2f} s" for r in runs) + " |")
    lines.append("| site size | " + " | ".join(f"{r['site_bytes'] / 1e6:.1f} MB" for r in runs) + " |")
    lines.append("| largest case page | " + " | ".join(f"{r['case_page_bytes'] / 1024:.1f} KB" for r in runs) + " |")
    lines.append(
        "| catalogue data payload | " + " | ".join(f"{r['catalogue_payload_bytes'] / 1e3:.0f} KB" for r in runs) + " |"
    )
    lines.append(
        "| hex map, map page / home page | "
        + " | ".join(
            f"{r['hexmap']['page_bytes'] / 1024:.1f} KB / {r['hexmap']['home_bytes'] / 1024:.1f} KB" for r in runs
        )
        + " |"
    )
    lines.append(
        "| hex map render (share of the full build) | "
        + " | ".join(
            f"{(m := r['hexmap']['render_seconds']) * 1000:.1f} ms ({m / r['full_build']['seconds']:.2%})" for r in runs
        )
        + " |"
    )
    if all("filter" in r for r in runs):
        lines.append("| catalogue filter update | " + " | ".join(f"{r['filter']['median_ms']} ms" for r in runs) + " |")
    if all("first_search_bytes" in r for r in runs):
        lines.append(
            "| first search transfer | " + " | ".join(f"{r['first_search_bytes'] / 1e3:.0f} KB" for r in runs) + " |"
        )
    if all("first_home_search" in r for r in runs):
        cells = [
            f"{r['first_home_search']['transferred'] / 1e3:.0f} KB ({r['first_home_search']['decoded'] / 1e3:.0f} KB"
            " uncompressed)"
            for r in runs
        ]
        lines.append("| first search from the home page, transferred | " + " | ".join(cells) + " |")
    lines += ["", "| target | value | limit | result |", "|---|---|---|---|"]
    for row in rows:
        value = (
            "not measured" if row["value"] is None else f"{row['value']}{(' ' + row['unit']) if row['unit'] else ''}"
        )
        lines.append(
            f"| {row['target']} | {value} | {row['limit']} {row['unit']} | {'pass' if row['pass'] else 'FAIL'} |"
        )
    return "\n".join(lines)


def write_docs(text: str, info: dict[str, Any]) -> None:
    page = ROOT / "docs" / "performance.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    current = page.read_text(encoding="utf-8")
    block = (
        f"{start}\n\nMeasured on {info['cpus']} CPUs, {info['memory']} memory, Python {info['python']}, "
        f"{info['platform']}; {info['date']}.\n\n{text}\n\n{end}"
    )
    if start in current:
        before, rest = current.split(start, 1)
        current = before + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n## Latest results\n\n" + block + "\n"
    page.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,4000", help="catalogue sizes, comma-separated (default 1000,4000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-docs", action="store_true", help="put the table into docs/performance.md")
    parser.add_argument(
        "--worst", action="store_true", help="time the worst-case files even below 1,000 cases (always at 1,000 and up)"
    )
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="where to write the results")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    started = time.perf_counter()
    runs = [measure(n, args.repeat, args.seed) for n in sizes]
    extra: dict[str, Any] = {"worst": worst_cases(args.repeat)} if args.worst or max(sizes) >= 1000 else {}
    if max(sizes) >= 1000:
        extra["validate_10000"] = validate_only(10_000, args.repeat, args.seed)
        five = next((r for r in runs if r["size"] == 5000), None) or measure(5000, 1, args.seed)
        extra["search_5000"] = five["first_search_bytes"]
        extra["home_search_5000"] = five["first_home_search"]
        extra["filter_5000"] = five["filter"]
        extra["payload_5000"] = five["catalogue_payload_bytes"]
    rows = targets(runs, extra)
    info = {**machine(), "date": time.strftime("%Y-%m-%d"), "seconds": round(time.perf_counter() - started)}
    text = table(runs, rows)
    print(text)
    print(f"\n{sum(r['pass'] for r in rows)} of {len(rows)} targets pass; run took {info['seconds']} s")
    args.json.write_text(json.dumps({"machine": info, "runs": runs, "extra": extra, "targets": rows}, indent=2) + "\n")
    if args.write_docs:
        write_docs(text, info)


if __name__ == "__main__":
    main()
