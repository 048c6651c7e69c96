"""casebook build: validates first, writes only what changed, never leaves a broken site."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

import generator.site.build
import generator.site.processes
from generator.core.errors import InvalidCatalogue
from generator.core.project import Project
from generator.site.build import build, write_pages

from helpers import ROOT, TODAY, cli_env, make_small_project, run_cli, site_args

pytestmark = pytest.mark.site  # builds whole sites with MkDocs

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_write_pages_writes_only_changes_and_removes_stale_files(tmp_path):
    folder = tmp_path / "catalogue"
    assert write_pages(folder, {"a.md": "A", "sub/b.md": "B"}) == (2, 0)
    before = (folder / "a.md").stat().st_mtime_ns
    assert write_pages(folder, {"a.md": "A", "sub/c.md": "C"}) == (1, 1)
    assert (folder / "a.md").stat().st_mtime_ns == before
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md")) == ["a.md", "sub/c.md"]


def test_an_invalid_catalogue_does_not_build_and_the_old_site_survives(tmp_path):
    project = make_small_project(tmp_path)
    site = project / "site"
    build(Project.load(project / "cases", project / "mkdocs.yml", site), today=TODAY)
    assert not list(project.glob(".site-build-*"))  # removed before build() returns, not later
    marker = (site / "index.html").read_text()
    case = project / "cases" / "leeds-data-mill.yaml"
    case.write_text(case.read_text().replace("status: scaled", "status: finished"))
    with pytest.raises(InvalidCatalogue) as raised:
        build(Project.load(project / "cases", project / "mkdocs.yml", site), today=TODAY)
    assert [p.rule for p in raised.value.problems] == ["vocabulary"]
    assert (site / "index.html").read_text() == marker
    assert not list(project.glob(".site-build-*"))


def test_a_failing_mkdocs_step_leaves_the_old_site(tmp_path):
    project = make_small_project(tmp_path)
    site = project / "site"
    build(Project.load(project / "cases", project / "mkdocs.yml", site), today=TODAY)
    (project / "docs" / "index.md").write_text('--8<-- "catalogue/missing.md"\n')
    result = run_cli(
        "build", "--cases", str(project / "cases"), "--config", str(project / "mkdocs.yml"), "--site-dir", str(site)
    )
    assert result.returncode == 2
    assert "mkdocs build failed" in result.stderr and "Traceback" not in result.stderr
    assert (site / "catalogue" / "cases" / "leeds-data-mill" / "index.html").exists()


def test_a_second_build_while_one_runs_is_refused_and_the_first_completes(tmp_path, monkeypatch):
    project = make_small_project(tmp_path)
    second = []
    merge = generator.site.build._merge

    def start_another_build_then_merge(extras, site):
        # The first build is nearly done: its site is built but not yet swapped in.
        second.append(run_cli("build", *site_args(project)))
        merge(extras, site)

    monkeypatch.setattr(generator.site.build, "_merge", start_another_build_then_merge)
    build(Project.load(project / "cases", project / "mkdocs.yml", project / "site"), today=TODAY)
    [refused] = second
    assert refused.returncode == 2, refused.stderr
    [message] = refused.stderr.splitlines()
    assert message.startswith("Error: another build is running (") and ".site.lock" in message
    assert (project / "site" / "index.html").is_file()
    assert not list(project.glob(".site-build-*"))


# Runs ``casebook build`` and stops it mid-build (while MkDocs writes its first page,
# the search indexer and the data downloads running beside it) until SIGTERM arrives.
BUILD_UNTIL_TERMINATED = """
import importlib, sys
from generator.cli import main

def on_post_page(self, output, **_):
    print("building", flush=True)
    sys.stdin.readline()
    return output

importlib.import_module("generator.site.build")._TidyThemeHtml.on_post_page = on_post_page
main(sys.argv[1:])
"""


def test_sigterm_mid_build_leaves_no_work_folder_or_process(tmp_path):
    project = make_small_project(tmp_path)
    env = cli_env()
    with (tmp_path / "stderr").open("w+") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", BUILD_UNTIL_TERMINATED, "build", *site_args(project)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            assert process.stdout.readline() == "building\n"
            assert list(project.glob(".site-build-*"))  # mid-build
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=120)  # stdin stays open: only the signal can end the wait above
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            process.stdin.close()
            process.stdout.close()
        stderr.seek(0)
        errors = stderr.read()
    assert process.returncode == 128 + signal.SIGTERM, errors
    assert "Traceback" not in errors
    assert not list(project.glob(".site-build-*"))
    assert not (project / "site").exists()
    with pytest.raises(ProcessLookupError):  # the indexer and the downloads' writer went with it
        os.killpg(process.pid, 0)
    # and so did every process the build started in groups of its own (the search indexer's)
    assert _session(process.pid) == []


def _session(sid: int) -> list[int]:
    """The processes of the session ``sid``, whatever their group."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == sid:
                    members.append(int(entry))
            except (ProcessLookupError, PermissionError):
                pass
    return members


def a_site(folder, text):
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


@pytest.mark.parametrize("exchange", [True, False], ids=["in one step", "moving the old site aside"])
def test_the_new_site_takes_the_old_ones_place(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(generator.site.processes, "exchange", lambda new, target: False)
    new, target = a_site(tmp_path / "work" / "site", "new"), a_site(tmp_path / "site", "old")
    generator.site.processes.swap(new, target)
    assert (target / "index.html").read_text() == "new"
    old = new if exchange else tmp_path / "work" / "old-site"
    assert (old / "index.html").read_text() == "old"  # in the work folder, removed with it


def test_the_first_site_is_moved_into_place(tmp_path):
    new = a_site(tmp_path / "work" / "site", "new")
    generator.site.processes.swap(new, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert not new.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_on_linux_the_site_is_never_missing_during_the_swap(tmp_path):
    new, target = a_site(tmp_path / "work" / "site", "new"), a_site(tmp_path / "site", "old")
    assert generator.site.processes.exchange(new, target)
    assert (target / "index.html").read_text() == "new" and (new / "index.html").read_text() == "old"


def test_a_build_removes_work_folders_that_killed_builds_left(tmp_path):
    project = make_small_project(tmp_path)
    leftover = a_site(project / ".site-build-k1ll3d_x" / "site", "half-built").parent
    other_site = a_site(project / ".site-build-elsewhere-build-abcd1234", "another site's build")
    build(Project.load(project / "cases", project / "mkdocs.yml", project / "site"), today=TODAY)
    assert not leftover.exists()
    assert other_site.exists()  # the work folder of a site named "site-build-elsewhere", not ours


def test_cli_build_reports_invalid_cases_like_validate(tmp_path):
    project = make_small_project(tmp_path)
    case = project / "cases" / "leeds-data-mill.yaml"
    case.write_text(case.read_text().replace("status: scaled", "status: finished"))
    result = run_cli(
        "build",
        "--cases",
        str(project / "cases"),
        "--config",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(project / "site"),
    )
    assert result.returncode == 1
    assert "leeds-data-mill.yaml:" in result.stdout and "[vocabulary]" in result.stdout
    assert not (project / "site").exists()


def test_the_built_site_holds_pages_schema_and_search_index(built_site):
    assert (built_site / "catalogue" / "cases" / "kent-integrated-dataset" / "index.html").is_file()
    assert (built_site / "catalogue" / "themes" / "housing" / "index.html").is_file()
    assert (built_site / "schema" / "case-v1.json").is_file()
    assert (built_site / "pagefind" / "pagefind.js").is_file()


def test_the_site_publishes_a_schemastore_catalogue_entry_for_case_files(built_site):
    """Editors that find schemas through a catalogue (VS Code's YAML extension, JetBrains) match
    cases/*.yaml to the schema the site publishes; the repository's own VS Code settings agree."""
    import fnmatch
    import json

    catalog = json.loads((built_site / "schema" / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["$schema"] == "https://json.schemastore.org/schema-catalog.json" and catalog["version"] == 1
    [entry] = catalog["schemas"]
    assert entry["name"] == "Council Data Casebook case" and entry["description"].startswith("One case study")
    assert entry["fileMatch"] == ["cases/*.yaml"]
    schema = json.loads((built_site / "schema" / "case-v1.json").read_text(encoding="utf-8"))
    site_url = "https://council-data-casebook.github.io/casebook/"
    assert entry["url"] == schema["$id"] == site_url + "schema/case-v1.json"  # where the site serves it
    assert entry["versions"] == {schema["x-format-version"]: schema["$id"]}
    cases = [path.relative_to(ROOT).as_posix() for path in (ROOT / "cases").glob("*.yaml")]
    assert cases and all(fnmatch.fnmatch(case, entry["fileMatch"][0]) for case in cases)
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {entry["url"]: entry["fileMatch"][0]}


def test_the_data_page_offers_excel_sqlite_and_csv_and_each_link_is_there(built_site):
    html = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("cases.xlsx", "casebook.db", "metadata.json", "council-data-casebook.zip", "cases.csv"):
        assert f'href="../downloads/{name}"' in html, name
        assert (built_site / "downloads" / name).stat().st_size > 0, name
    assert "Excel" in html and "Datasette / SQL" in html and "CSV for R and pandas" in html
    # each offer gives the size of its file, as written by this build
    sizes = dict(re.findall(r'<span class="cb-size" data-download="([^"]+)">\(([^)]*)\)</span>', html))
    assert set(sizes) == {"cases.xlsx", "casebook.db", "council-data-casebook.zip", "cases.csv", "cases.json"}
    for name, shown in sizes.items():
        assert shown == generator.site.build.file_size((built_site / "downloads" / name).stat().st_size), name
    assert re.fullmatch(r"[\d.,]+ (KB|MB)", sizes["casebook.db"])


def test_a_file_size_reads_as_people_read_it():
    size = generator.site.build.file_size
    assert [size(0), size(940), size(1024), size(421_888), size(1_363_149), size(52_428_800)] == [
        "0 bytes",
        "940 bytes",
        "1 KB",
        "412 KB",
        "1.3 MB",
        "50.0 MB",
    ]


def test_a_size_mark_for_a_file_the_build_does_not_write_stops_the_build(tmp_path):
    from generator.core.errors import BuildError

    page = tmp_path / "data" / "index.html"
    page.parent.mkdir()
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "cases.csv").write_bytes(b"x" * 2048)
    page.write_text('<span class="cb-size" data-download="cases.csv"></span>', encoding="utf-8")
    generator.site.build.fill_download_sizes(tmp_path)
    assert page.read_text(encoding="utf-8") == '<span class="cb-size" data-download="cases.csv">(2 KB)</span>'
    page.write_text('<span class="cb-size" data-download="cases.parquet"></span>', encoding="utf-8")
    with pytest.raises(BuildError, match="downloads/cases.parquet, which the build does not write"):
        generator.site.build.fill_download_sizes(tmp_path)


def test_every_anchor_of_the_data_dictionary_has_its_target(built_site):
    html = (built_site / "catalogue" / "data-dictionary" / "index.html").read_text(encoding="utf-8")
    targets = set(re.findall(r'id="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    assert links and links <= targets, sorted(links - targets)
    assert "An empty cell means the case does not give that fact" in html and "<code>none</code>" in html


def test_a_case_page_stays_small(built_site):
    sizes = [p.stat().st_size for p in (built_site / "catalogue" / "cases").glob("*/index.html")]
    assert max(sizes) < 60_000


def test_pages_pass_the_nu_html_checker(built_site):
    assert VNU.exists() and shutil.which("java"), "run scripts/install-test-deps (npm's vnu-jar and Java)"
    pages = [
        built_site / "catalogue" / "cases" / "camden-residents-index" / "index.html",
        built_site / "catalogue" / "cases" / "hostile-script-injection" / "index.html",
        built_site / "catalogue" / "cases" / "hostile-third-round" / "index.html",
        built_site / "catalogue" / "themes" / "housing" / "index.html",
        built_site / "catalogue" / "councils" / "index.html",
        built_site / "catalogue" / "councils" / "e09000007" / "index.html",
        built_site / "catalogue" / "index.html",
        built_site / "catalogue" / "map" / "index.html",
        built_site / "index.html",
    ]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_case_page_whose_metadata_is_lost_fails_the_build(tmp_path, monkeypatch):
    """The last line of defence: front matter MkDocs cannot read would show as page text."""
    from generator.site import render
    from generator.site.build import BuildError

    project = make_small_project(tmp_path)
    real = render.front_matter

    def broken(meta):
        text = real(meta)
        return text.replace("og_title:", "og_title: [unclosed", 1) if "og_title" in meta else text

    monkeypatch.setattr(render, "front_matter", broken)
    with pytest.raises(BuildError, match=r"catalogue/cases/[a-z0-9-]+\.md: the page's metadata was not read \(title, "):
        build(Project.load(project / "cases", project / "mkdocs.yml", project / "site"), today=TODAY)
    assert not (project / "site").exists()


def test_the_home_page_table_of_contents_lists_its_five_headings(built_site):
    import re

    html = (built_site / "index.html").read_text(encoding="utf-8")
    toc = html.split('aria-label="Table of contents"', 1)[1].split("</nav>", 1)[0]
    entries = [" ".join(t.split()) for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', toc, re.S)]
    assert entries == [
        "The catalogue at a glance",
        "Where the cases are",
        "Newest cases",
        "Recently reviewed",
        "Add your council's case",
    ]


def test_the_atom_feed_lists_the_cases_newest_first_and_every_page_links_it(built_site):
    import feedparser

    from generator import load_catalogue
    from generator.core.project import SiteConfig

    from helpers import HOSTILE_CASES, ROOT, TODAY

    raw = (built_site / "catalogue" / "feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed Atom
    assert feed.version == "atom10"
    catalogue = load_catalogue([ROOT / "cases", *HOSTILE_CASES], today=TODAY)
    by_url = {
        SiteConfig(site_url="https://council-data-casebook.github.io/casebook/").case_url(c.id): c
        for c in catalogue.cases
    }
    assert 0 < len(feed.entries) <= 50
    days = [entry.updated_parsed for entry in feed.entries]
    assert days == sorted(days, reverse=True)
    for entry in feed.entries:
        case = by_url[entry.link]
        assert entry.title == case.title and entry.summary == case["summary"]
        assert [tag.term for tag in entry.tags] == [c["name"] for c in case["councils"]]
        assert entry.updated[:10] >= str(case["last_reviewed"])
    # hostile titles are in the feed as text: it stays well-formed and reads back exactly (above)
    for page in ("index.html", "catalogue/index.html", "catalogue/cases/camden-residents-index/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
        assert link, page
        assert (built_site / page).parent.joinpath(link.group(1)).resolve() == (
            built_site / "catalogue" / "feed.xml"
        ).resolve()


@pytest.mark.parametrize(
    ("program", "said"),
    [
        (
            "#!/bin/sh\necho 'Error: the site has no pages'\nexit 3\n",
            "search indexing failed: Error: the site has no pages",
        ),
        (None, "search indexing failed: cannot run the search indexer (pagefind): No such file or directory"),
    ],
)
def test_a_failed_search_index_says_what_the_indexer_said(tmp_path, monkeypatch, program, said):
    """Pagefind runs in a process of the build's own; what it says reaches the build's error."""
    from generator import load_catalogue
    from generator.core.errors import BuildError

    fake = tmp_path / "indexer"
    if program is not None:
        fake.write_text(program, encoding="utf-8")
        fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))  # the forked process runs "<python> -m pagefind_bin"
    catalogue = load_catalogue([ROOT / "tests" / "fixtures" / "valid"], today=TODAY)
    indexing = generator.site.processes.SearchIndexing(catalogue, tmp_path)
    try:
        with pytest.raises(BuildError) as raised:
            indexing.finish(tmp_path / "site")
    finally:
        indexing.stop()
    assert str(raised.value) == said


def test_pages_rendered_on_two_cores_are_the_pages_rendered_on_one(monkeypatch):
    """A large catalogue's case pages are shared with a forked process; the pages are the same."""
    from generator import load_catalogue
    from generator.site.pages import render_pages

    from helpers import CONFIG

    catalogue = load_catalogue([ROOT / "cases"], today=TODAY)
    monkeypatch.setattr(generator.site.processes, "workers", lambda count: 2)  # as for 400 cases and more
    shared = generator.site.processes.render_on_two_cores(catalogue, CONFIG)
    assert shared == render_pages(catalogue, CONFIG)
    assert len([page for page in shared if page.startswith("cases/")]) == len(catalogue.cases)


def test_a_failure_in_the_process_rendering_case_pages_stops_the_build(monkeypatch):
    from generator import load_catalogue
    from generator.core.errors import BuildError

    from helpers import CONFIG

    def broken(*_):
        raise MemoryError("out of memory")

    catalogue = load_catalogue([ROOT / "cases"], today=TODAY)
    monkeypatch.setattr(generator.site.processes, "workers", lambda count: 2)
    monkeypatch.setattr(generator.site.processes, "case_page", broken)  # in the forked process only
    with pytest.raises(BuildError, match=r"rendering the case pages failed \(exit code 1\)"):
        generator.site.processes.render_on_two_cores(catalogue, CONFIG)
