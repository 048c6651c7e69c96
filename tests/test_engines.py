"""The two engines of ``casebook build``: MkDocs with Material, and Zensical.

Both build the same pages from the same ``docs/`` and ``overrides/``, and both stop on a
broken link or anchor, saying which page and which link.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.errors import BuildError
from generator.core.project import Project
from generator.site import engines
from generator.site.build import build

from helpers import MINIMAL_FILE, TODAY, make_project, make_small_project, site_args


def _case_pages(site: Path) -> set[str]:
    return {page.parent.name for page in (site / "catalogue" / "cases").glob("*/index.html")}


@pytest.mark.site
def test_zensical_builds_the_same_case_pages_as_mkdocs(built_site):
    """The bundled and the hostile cases, built by Zensical beside the MkDocs build every run shares."""
    project = built_site.parent
    zensical_site = project / "site-zensical"
    result = build(
        Project.load(project / "cases", project / "mkdocs.yml", zensical_site), today=TODAY, engine="zensical"
    )
    pages = _case_pages(zensical_site)
    assert pages == _case_pages(built_site) == {case.id for case in result.catalogue.cases}
    assert len(pages) >= 160
    page = (zensical_site / "catalogue" / "cases" / "kent-integrated-dataset" / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<meta property="og:title" content="' in page  # overrides/main.html renders in Zensical too
    assert 'id="cb-hsearch"' in page  # and the header's case search (overrides/partials/header.html)
    assert 'rel="alternate" type="application/atom+xml"' in page
    for name in ("cases.csv", "cases.xlsx", "casebook.db"):
        assert (zensical_site / "downloads" / name).stat().st_size > 0, name
    assert not list(project.glob(".zensical-*")), "the configuration written for Zensical is removed"


def _broken_anchor(tmp_path: Path) -> Path:
    project = make_project(tmp_path, [MINIMAL_FILE], bundled=False)
    with (project / "docs" / "cli.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the fields](format.md#no-such-heading).\n")
    return project


@pytest.mark.site
@pytest.mark.parametrize("engine", engines.ENGINES)
def test_a_broken_anchor_stops_the_build_in_both_engines_and_names_the_page(tmp_path, engine):
    project = _broken_anchor(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous site", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--engine", engine, *site_args(project)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"Error: {engine} build failed" in result.output
    if engine == "mkdocs":
        assert "Doc file 'cli.md' contains a link 'format.md#no-such-heading'" in result.output
    else:
        assert "anchor does not exist" in result.output and "cli.md:" in result.output
        assert "\x1b[" not in result.output  # Zensical's colours are removed
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "the previous site"


def test_plain_mkdocs_is_strict_about_links_and_anchors_too():
    """The settings are in mkdocs.yml, so `mkdocs build` on its own stops the same way."""
    import yaml

    from helpers import ROOT

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["strict"] is True
    assert config["validation"]["anchors"] == "warn" and config["validation"]["unrecognized_links"] == "warn"


def test_the_zensical_configuration_names_every_folder_relative_to_the_project(tmp_path):
    project = Project.load(config_file=make_small_project(tmp_path) / "mkdocs.yml")
    config = engines.zensical_config(project, tmp_path / ".site-build-x" / "site")
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "overrides"
    assert config["site_dir"] == str(Path(".site-build-x") / "site")
    [snippets] = [
        e["pymdownx.snippets"]
        for e in config["markdown_extensions"]
        if isinstance(e, dict) and "pymdownx.snippets" in e
    ]
    assert snippets["base_path"] == ["docs"]
    assert config["site_name"] == "Council Data Casebook"  # the rest as mkdocs.yml has it


def test_zensicals_report_keeps_its_warnings_and_drops_its_traceback():
    output = (
        "Build started\n\x1b[33mWarning:\x1b[0m anchor does not exist\n  ╭─[ cli.md:3:5 ]\n1 issue found\n"
        'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    cli()\n'
        "RuntimeError: Aborted because --strict flag is set\n"
    )
    assert engines.zensical_report(output) == [
        "Build started",
        "Warning: anchor does not exist",
        "  ╭─[ cli.md:3:5 ]",
        "1 issue found",
        "RuntimeError: Aborted because --strict flag is set",
    ]


def test_without_zensical_installed_the_build_says_how_to_install_it(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "zensical" else real(name, *a))
    project = Project.load(config_file=make_small_project(tmp_path) / "mkdocs.yml")
    with pytest.raises(BuildError, match=re.escape("pip install 'council-data-casebook[zensical]'")):
        engines.run_zensical(project, tmp_path / "site")


def test_an_unknown_engine_is_refused_before_anything_is_written(tmp_path):
    project = Project.load(tmp_path / "cases", tmp_path / "mkdocs.yml", tmp_path / "site")
    with pytest.raises(BuildError, match="unknown engine 'hugo': choose one of mkdocs, zensical"):
        build(project, engine="hugo")
    assert not (tmp_path / "site").exists()
    result = CliRunner().invoke(main, ["build", "--engine", "hugo"])
    assert result.exit_code == 2 and "'hugo' is not one of 'mkdocs', 'zensical'" in result.output


def test_details_of_an_error_are_shown_one_per_line_with_control_characters_escaped(monkeypatch):
    import generator.site.build

    def failing(*_, **__):
        raise BuildError("mkdocs build failed: 1 warning", ("Doc file 'a.md' links to \x1b]0;x\x07", "second line"))

    monkeypatch.setattr(generator.site.build, "build", failing)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-2:] == ["  Doc file 'a.md' links to \\x1b]0;x\\x07", "  second line"]
