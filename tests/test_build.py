"""casebook build: validates first, writes only what changed, never leaves a broken site."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from generator.build import build, write_pages
from generator.errors import InvalidCatalogue

from conftest import ROOT, TODAY, make_project, run_cli

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_write_pages_writes_only_changes_and_removes_stale_files(tmp_path):
    folder = tmp_path / "catalogue"
    assert write_pages(folder, {"a.md": "A", "sub/b.md": "B"}) == (2, 0)
    before = (folder / "a.md").stat().st_mtime_ns
    assert write_pages(folder, {"a.md": "A", "sub/c.md": "C"}) == (1, 1)
    assert (folder / "a.md").stat().st_mtime_ns == before
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md")) == ["a.md", "sub/c.md"]


def test_an_invalid_catalogue_does_not_build_and_the_old_site_survives(tmp_path):
    project = make_project(tmp_path)
    site = project / "site"
    build(project / "cases", project / "mkdocs.yml", site, today=TODAY)
    marker = (site / "index.html").read_text()
    case = project / "cases" / "leeds-data-mill.yaml"
    case.write_text(case.read_text().replace("status: scaled", "status: finished"))
    with pytest.raises(InvalidCatalogue) as raised:
        build(project / "cases", project / "mkdocs.yml", site, today=TODAY)
    assert [p.rule for p in raised.value.problems] == ["vocabulary"]
    assert (site / "index.html").read_text() == marker
    assert not list(project.glob(".site-build-*"))


def test_a_failing_mkdocs_step_leaves_the_old_site(tmp_path):
    project = make_project(tmp_path)
    site = project / "site"
    build(project / "cases", project / "mkdocs.yml", site, today=TODAY)
    (project / "docs" / "index.md").write_text('--8<-- "catalogue/missing.md"\n')
    result = run_cli(
        "build", "--cases", str(project / "cases"), "--config", str(project / "mkdocs.yml"), "--site-dir", str(site)
    )
    assert result.returncode == 2
    assert "mkdocs build failed" in result.stderr and "Traceback" not in result.stderr
    assert (site / "catalogue" / "cases" / "leeds-data-mill" / "index.html").exists()


def test_cli_build_reports_invalid_cases_like_validate(tmp_path):
    project = make_project(tmp_path)
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


def test_a_case_page_stays_small(built_site):
    sizes = [p.stat().st_size for p in (built_site / "catalogue" / "cases").glob("*/index.html")]
    assert max(sizes) < 60_000


def test_pages_pass_the_nu_html_checker(built_site):
    assert VNU.exists() and shutil.which("java"), "run scripts/install-test-deps (npm's vnu-jar and Java)"
    pages = [
        built_site / "catalogue" / "cases" / "camden-residents-index" / "index.html",
        built_site / "catalogue" / "cases" / "hostile-script-injection" / "index.html",
        built_site / "catalogue" / "themes" / "housing" / "index.html",
        built_site / "catalogue" / "councils" / "index.html",
        built_site / "catalogue" / "index.html",
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
    from generator import render
    from generator.build import BuildError

    project = make_project(tmp_path)
    real = render.front_matter

    def broken(meta):
        text = real(meta)
        return text.replace("og_title:", "og_title: [unclosed", 1) if "og_title" in meta else text

    monkeypatch.setattr(render, "front_matter", broken)
    with pytest.raises(BuildError, match=r"catalogue/cases/[a-z0-9-]+\.md: the page's metadata was not read \(title, "):
        build(project / "cases", project / "mkdocs.yml", project / "site", today=TODAY)
    assert not (project / "site").exists()


def test_the_home_page_table_of_contents_lists_its_four_headings(built_site):
    import re

    html = (built_site / "index.html").read_text(encoding="utf-8")
    toc = html.split('aria-label="Table of contents"', 1)[1].split("</nav>", 1)[0]
    entries = [" ".join(t.split()) for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', toc, re.S)]
    assert entries == ["The catalogue at a glance", "Newest cases", "Recently reviewed", "Add your council's case"]
