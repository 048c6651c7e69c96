"""What the tests share: paths, the pinned date, test vectors and ways to write, check and build cases.

Imported as ``from helpers import ...`` (``pythonpath = ["tests"]`` in pyproject.toml);
the pytest fixtures built on these live in ``conftest.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator import load_catalogue
from generator.core.project import SiteConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 12, 5)
MINIMAL_FILE = FIXTURES / "valid" / "example-council-tax-single-view.yaml"
HOSTILE = FIXTURES / "hostile" / "hostile-script-injection.yaml"
HOSTILE_CASES = sorted((FIXTURES / "hostile").glob("*.yaml"))

# The site settings pages and exports are generated with in tests; the golden digests
# of test_pipeline.py are taken with CONFIG_WITH_REPO.
CONFIG = SiteConfig(site_url="https://casebook.example/")
CONFIG_WITH_REPO = SiteConfig(site_url="https://casebook.example/", repo_url="https://github.com/example/casebook")


# Shared test vectors: each breaks one rule of the minimal case; the validator
# (test_rules.py) and the form in Chromium (test_propose_form.py) both run them.
VECTORS: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "rules" / "vectors.yaml").read_text(encoding="utf-8"))


def apply_vector(case: dict[str, Any], changes: dict[str, Any]) -> None:
    """Set each JSON Pointer of ``changes`` in ``case`` (None removes the key)."""
    for pointer, value in changes.items():
        *parents, last = pointer.lstrip("/").split("/")
        node: Any = case
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if value is None:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value


def write_case(folder: Path, data: dict[str, Any] | str, name: str | None = None) -> Path:
    """Write ``data`` (a dict or raw text) as a case file in ``folder``."""
    if isinstance(data, dict):
        name = name or f"{data.get('id', 'case')}.yaml"
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    else:
        text = data
    path = folder / (name or "case.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def check(*paths: Path):  # type: ignore[no-untyped-def]
    """The catalogue of ``paths``, checked on the pinned date."""
    return load_catalogue(paths, today=TODAY)


def check_written_today(*paths: Path):  # type: ignore[no-untyped-def]
    """Check files that a command or the form dated with the real clock (TODAY is pinned)."""
    return load_catalogue(paths, today=max(TODAY, date.today()))


def cli_env() -> dict[str, str]:
    """The environment the casebook command runs in: this one, without colour or the MkDocs 2 notice."""
    return {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``casebook`` as a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=cli_env(),
        input=input,
        timeout=600,
    )


def make_project(folder: Path, extra_cases: Sequence[Path] = (), bundled: bool = True) -> Path:
    """A copy of the site's sources (config, docs, overrides) and the bundled cases.

    ``bundled=False``: ``extra_cases`` only, and the hand-written pages' links to bundled
    cases (the Wise Council page has nine) made plain text, since a broken link stops the build.
    """
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs", ignore=shutil.ignore_patterns("catalogue"))
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    (folder / "cases").mkdir()
    if bundled:
        shutil.copytree(ROOT / "cases", folder / "cases", dirs_exist_ok=True)
    else:
        for page in (folder / "docs").glob("*.md"):
            text = page.read_text(encoding="utf-8")
            page.write_text(re.sub(r"\[([^\]]*)\]\(catalogue/cases/[a-z0-9-]+\.md\)", r"\1", text), encoding="utf-8")
    for case in extra_cases:
        shutil.copy(case, folder / "cases" / case.name)
    return folder


def related_cases(case_id: str) -> list[Path]:
    """The bundled case ``case_id`` and every case its related links reach: a catalogue that validates alone."""
    reached, waiting = set(), [case_id]
    while waiting:
        current = waiting.pop()
        if current not in reached:
            reached.add(current)
            case = yaml.safe_load((ROOT / "cases" / f"{current}.yaml").read_text(encoding="utf-8"))
            waiting.extend(case.get("related") or [])
    return [ROOT / "cases" / f"{name}.yaml" for name in sorted(reached)]


def make_small_project(folder: Path) -> Path:
    """A project of Leeds Data Mill and the cases its related links reach (nine in all), for tests of how a
    build or the preview behaves rather than of what the catalogue holds: it builds in a third of the time."""
    return make_project(folder, related_cases("leeds-data-mill"), bundled=False)


def site_args(project: Path) -> list[str]:
    """The options that point ``casebook build`` or ``serve`` at a project made by :func:`make_project`."""
    return [
        "--cases",
        str(project / "cases"),
        "--config",
        str(project / "mkdocs.yml"),
        "--site-dir",
        str(project / "site"),
    ]


def set_field(case: dict[str, Any], path: str, value: Any) -> None:
    """Set the field at ``path`` (``councils[].name``, as the schema's field tree names it) in the
    first item of each list on the way, making the lists and mappings it needs."""
    node = case
    parts = path.split(".")
    for part in parts[:-1]:
        key = part.removesuffix("[]")
        node = node.setdefault(key, [{}])[0] if part.endswith("[]") else node.setdefault(key, {})
    last = parts[-1]
    node[last.removesuffix("[]")] = [value] if last.endswith("[]") and not isinstance(value, list) else value
