"""casebook fmt: canonical, idempotent, value-preserving, comment-keeping and atomic."""

from __future__ import annotations

import os
import shutil

import pytest

from generator.core.load import parse_bytes
from generator.maintain.fmt import canonical_text, format_file

from helpers import FIXTURES, MINIMAL_FILE, ROOT, run_cli

FILES = sorted((ROOT / "cases").glob("*.yaml")) + [
    MINIMAL_FILE,
    FIXTURES / "hostile" / "hostile-script-injection.yaml",
    FIXTURES / "tricky" / "tricky-text-round-trip.yaml",
]


def data_of(text: str):
    doc, problems = parse_bytes(text.encode(), "x.yaml")
    assert doc is not None, problems
    return doc.data


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fmt_is_idempotent_and_keeps_every_value(path):
    text = path.read_text(encoding="utf-8")
    once = canonical_text(text)
    assert canonical_text(once) == once
    assert data_of(once) == data_of(text)


def test_bundled_cases_are_already_canonical():
    result = run_cli("fmt", "--check", "cases")
    assert result.returncode == 0, result.stdout
    assert "would reformat" not in result.stdout
    assert result.stdout.strip().startswith("0 of ")


def test_keys_are_reordered_and_comments_survive(tmp_path):
    text = MINIMAL_FILE.read_text()
    lines = text.splitlines()
    shuffled = "# A leading comment\n" + "\n".join([lines[-1], *lines[:-1]]) + "\n"
    shuffled = shuffled.replace("status: live", "status: live  # still running")
    path = tmp_path / "example-council-tax-single-view.yaml"
    path.write_text(shuffled)
    result = format_file(path, check=False)
    assert result.changed and result.problems == []
    out = path.read_text()
    assert out.startswith("# A leading comment\nid: example-council-tax-single-view\n")
    assert "status: live  # still running" in out
    assert out.rstrip().endswith("last_reviewed: 2026-11-01")
    assert data_of(out) == data_of(text)


def test_flow_style_becomes_block_style():
    out = canonical_text("id: abc\nthemes: [housing, fraud-error]\ndata:\n  - {name: A, owner: B}\n")
    assert "themes:\n  - housing\n  - fraud-error\n" in out
    assert "  - name: A\n    owner: B\n" in out


def test_check_lists_files_and_exits_one_without_writing(tmp_path):
    path = tmp_path / "example-council-tax-single-view.yaml"
    shutil.copy(MINIMAL_FILE, path)
    before = path.read_text()
    result = run_cli("fmt", "--check", str(path))
    assert result.returncode == 1
    assert f"would reformat {path}" in result.stdout
    assert path.read_text() == before


def test_unsafe_files_are_refused_not_formatted(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(5))
    )
    before = path.read_text()
    result = run_cli("fmt", str(path))
    assert result.returncode == 1 and "[yaml-expansion]" in result.stdout
    assert path.read_text() == before


def test_an_interrupted_write_leaves_the_original_intact(tmp_path, monkeypatch):
    path = tmp_path / "example-council-tax-single-view.yaml"
    text = MINIMAL_FILE.read_text().replace("id: example", "# moved\nid: example")
    path.write_text(text)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        format_file(path, check=False)
    assert path.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_fmt_keeps_the_file_mode(tmp_path, mode):
    path = tmp_path / "example-council-tax-single-view.yaml"
    path.write_text(MINIMAL_FILE.read_text().replace("id: example", "summary_first: x\nid: example", 0))
    path.write_text("last_reviewed: 2026-11-01\n" + MINIMAL_FILE.read_text().replace("last_reviewed: 2026-11-01\n", ""))
    path.chmod(mode)
    assert format_file(path, check=False).changed
    assert path.stat().st_mode & 0o777 == mode


def test_fmt_leaves_a_symlinked_case_alone(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text(
        "last_reviewed: 2026-11-01\n" + MINIMAL_FILE.read_text().replace("last_reviewed: 2026-11-01\n", "")
    )
    before = target.read_text()
    link = tmp_path / "example-council-tax-single-view.yaml"
    link.symlink_to(target)
    result = run_cli("fmt", str(link))
    assert result.returncode == 1
    assert "is a symbolic link; fmt rewrites only regular files, so it was left as it is [fmt-link]" in result.stdout
    assert link.is_symlink() and target.read_text() == before


ALIASED = MINIMAL_FILE.read_text().replace(
    "data:\n",
    "data:\n  - &d {name: Parking permits, owner: Example Borough Council, kind: administrative, personal: true}\n"
    "  # the same dataset again, as an alias\n  - *d\n",
)
DIRECTIVE = "%YAML 1.1\n# between the directive and the document\n---\n" + MINIMAL_FILE.read_text()


@pytest.mark.parametrize(
    ("text", "comment", "line"),
    [(DIRECTIVE, "# between the directive and the document", 2), (ALIASED, "# the same dataset again", 18)],
    ids=["directive", "alias"],
)
def test_a_comment_fmt_would_drop_is_reported_and_the_file_left_alone(tmp_path, text, comment, line):
    path = tmp_path / "example-council-tax-single-view.yaml"
    path.write_text(text)
    [problem] = format_file(path, check=False).problems
    assert (problem.rule, problem.line) == ("fmt-comment", line)
    assert problem.message.startswith(f"formatting would drop the comment '{comment}")
    assert path.read_text() == text
