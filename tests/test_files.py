"""The case folder as an attacker or a careless contributor leaves it, and how files are written."""

from __future__ import annotations

import os
import stat

import pytest

from generator import load_catalogue
from generator.core.errors import CasebookError
from generator.core.files import write_atomically

from helpers import MINIMAL_FILE, TODAY, run_cli


@pytest.fixture
def repo(tmp_path):
    """A repository with one valid case in cases/."""
    (tmp_path / ".git").mkdir()
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "example-council-tax-single-view.yaml").write_text(MINIMAL_FILE.read_text())
    return tmp_path


def problems_of(repo):
    catalogue = load_catalogue([repo / "cases"], today=TODAY)
    return {(p.file.rsplit("/", 1)[-1], p.rule, p.message) for p in catalogue.errors}


def test_a_link_out_of_the_case_folder_is_refused_and_its_target_never_read(repo, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    secret.write_text("password: hunter2\n[[[ not yaml")
    (repo / "cases" / "evil.yaml").symlink_to(secret)
    [(name, rule, message)] = problems_of(repo)
    assert (name, rule) == ("evil.yaml", "file-link")
    assert message == f"is a symbolic link to a file outside its folder ({(repo / 'cases').resolve()}); not read"
    result = run_cli("validate", "cases", cwd=repo)
    assert result.returncode == 1 and "hunter2" not in result.stdout + result.stderr


def test_a_link_elsewhere_in_the_repository_is_refused_too(repo):
    (repo / ".git" / "config").write_text("[remote]\n  url = https://token@example.org/x\n")
    (repo / "cases" / "git.yaml").symlink_to(repo / ".git" / "config")
    [(name, rule, _)] = problems_of(repo)
    assert (name, rule) == ("git.yaml", "file-link")
    result = run_cli("validate", "cases", cwd=repo)
    assert result.returncode == 1 and "token@" not in result.stdout + result.stderr


def test_a_link_inside_the_case_folder_is_read(repo):
    (repo / "cases" / "shared").mkdir()
    (repo / "cases" / "shared" / "x.yaml").write_text(
        MINIMAL_FILE.read_text().replace("id: example-council-tax-single-view", "id: linked-case")
    )
    (repo / "cases" / "linked-case.yaml").symlink_to(repo / "cases" / "shared" / "x.yaml")
    assert problems_of(repo) == set()


@pytest.mark.parametrize(
    ("make", "rule", "message"),
    [
        (
            lambda p: p.symlink_to(p.parent / "missing.yaml"),
            "file-link",
            "is a broken symbolic link; remove it or point it at a case file",
        ),
        (os.mkfifo, "file-type", "is not a regular file (a FIFO, socket or device); not read"),
        (lambda p: p.mkdir(), "file-type", "is a folder, not a case file"),
    ],
    ids=["broken-link", "fifo", "folder"],
)
def test_what_cannot_be_a_case_is_refused_not_skipped(repo, make, rule, message):
    make(repo / "cases" / "odd.yaml")
    assert problems_of(repo) == {("odd.yaml", rule, message)}
    result = run_cli("validate", "cases", cwd=repo)
    assert result.returncode == 1
    assert f"cases/odd.yaml:1:1: error: {message} [{rule}]" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_upper_case_extension_is_refused_with_the_name_to_use(repo):
    (repo / "cases" / "Other-Case.YAML").write_text(MINIMAL_FILE.read_text())
    assert problems_of(repo) == {
        ("Other-Case.YAML", "file-extension", "case files end in .yaml; rename it to other-case.yaml")
    }


def test_a_folder_that_cannot_be_listed_is_a_one_line_error(repo, monkeypatch):
    real = os.listdir

    def refuse(path="."):
        if str(path).endswith("cases"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "listdir", refuse)
    with pytest.raises(CasebookError, match=r"cannot list the folder .*cases to check related ids: Permission denied"):
        load_catalogue([repo / "cases" / "example-council-tax-single-view.yaml"], today=TODAY)
    with pytest.raises(CasebookError, match=r"cannot list the folder .*cases: Permission denied"):
        load_catalogue([repo / "cases"], today=TODAY)


def test_write_atomically_keeps_an_existing_mode_and_gives_new_files_the_umask(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("a")
    old.chmod(0o640)
    write_atomically(old, "b")
    assert (old.read_text(), stat.S_IMODE(old.stat().st_mode)) == ("b", 0o640)
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.csv", b"c")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.csv", "old.csv"]


def test_write_atomically_never_writes_through_a_link(tmp_path):
    target = tmp_path / "target.csv"
    target.write_text("keep")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with pytest.raises(CasebookError, match="is a symbolic link"):
        write_atomically(link, "x")
    assert target.read_text() == "keep" and link.is_symlink()


def test_export_files_get_the_umask_mode(tmp_path):
    out = tmp_path / "out"
    result = run_cli("export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {0o666 & ~current_umask()}


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
