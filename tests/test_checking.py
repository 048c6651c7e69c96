"""Checking case files in forked workers gives what checking them one by one gives."""

from __future__ import annotations

import shutil

import pytest

from generator import load_catalogue
from generator.core import checking

from helpers import FIXTURES, ROOT, TODAY


@pytest.fixture
def many(tmp_path):
    """The bundled cases, the hostile and tricky fixtures, and a case whose related id is gone (a rule across cases)."""
    folder = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", folder)
    for path in [*(FIXTURES / "hostile").glob("*.yaml"), *(FIXTURES / "tricky").glob("*.yaml")]:
        shutil.copy(path, folder / path.name)
    leeds = folder / "leeds-data-mill.yaml"
    text = leeds.read_text(encoding="utf-8")
    assert "\nrelated:\n  - " in text
    leeds.write_text(
        text.replace("\nrelated:\n  - ", "\nrelated:\n  - a-case-that-is-not-there\n  - ", 1), encoding="utf-8"
    )
    bristol = (folder / "bristol-think-family-database.yaml").read_text(encoding="utf-8")
    (folder / "bristol-think-family-database.yaml").write_text(bristol.replace("\nstatus: ", "\nstatus: finishd-", 1))
    (folder / "broken-syntax.yaml").write_text("id: broken-syntax\ntitle: [unclosed\n", encoding="utf-8")
    return folder


def test_workers_give_the_same_cases_and_problems_with_the_same_positions(many, monkeypatch):
    one = load_catalogue([many], today=TODAY)
    monkeypatch.setattr(checking, "workers", lambda count: 2)
    two = load_catalogue([many], today=TODAY)
    assert two.problems == one.problems
    assert {p.rule for p in one.problems} >= {"vocabulary", "yaml-syntax", "related-exists"}
    assert [(c.id, c.data) for c in two.cases] == [(c.id, c.data) for c in one.cases]
    gone = [p for p in two.problems if "a-case-that-is-not-there" in p.message]
    assert gone and gone[0].line > 1  # placed by reading the file again in the parent


def test_a_small_catalogue_or_a_threaded_process_is_checked_in_this_process(monkeypatch):
    assert checking.workers(checking.PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(checking.threading, "active_count", lambda: 2)
    assert checking.workers(10 * checking.PARALLEL_FROM) == 1
    monkeypatch.setattr(checking.threading, "active_count", lambda: 1)
    monkeypatch.setattr(checking.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert checking.workers(10 * checking.PARALLEL_FROM) == 2
