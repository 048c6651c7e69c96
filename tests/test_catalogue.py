"""The catalogue of ``generator/catalogue.py``: which files a selection names, and the loaded, indexed cases."""

from __future__ import annotations

from helpers import run_cli


def test_an_empty_selection_is_an_error_not_success(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "notes.txt").write_text("not a case")
    result = run_cli("validate", "cases", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: no case files in cases (case files are named <id>.yaml)"
