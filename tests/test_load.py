"""Safe loading: hostile and malformed files are refused with a positioned problem."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from generator.core.load import MAX_ALIASES, parse_bytes

from helpers import MINIMAL_FILE, ROOT, check, make_small_project, run_cli


def problems_of(text: str | bytes, name: str = "case.yaml") -> list[tuple[int, int, str, str]]:
    data = text.encode() if isinstance(text, str) else text
    _, problems = parse_bytes(data, name)
    return [(p.line, p.column, p.rule, p.message) for p in problems]


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    text = f"id: x\nboom: !!python/object/apply:os.system ['touch {marker}']\n"
    assert problems_of(text) == [
        (2, 7, "yaml-tag", "refused: the tag !!python/object/apply:os.system is not allowed in a case file")
    ]
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!custom", "!!binary", "!!set", "!!omap"])
def test_other_tags_are_refused(tag):
    [(_, _, rule, _)] = problems_of(f"key: {tag} value\n")
    assert rule == "yaml-tag"


def test_one_document_per_file():
    assert problems_of("a: 1\n---\nb: 2\n") == [
        (2, 1, "yaml-multiple-documents", "a case file holds one YAML document; remove the second '---'")
    ]


def test_duplicate_keys_are_errors_not_silently_dropped():
    assert problems_of("title: first\nsummary: s\ntitle: second\n") == [
        (3, 1, "yaml-duplicate-key", "duplicate key 'title': it is already set above; keep one")
    ]


def test_syntax_errors_name_the_line():
    [(line, _, rule, message)] = problems_of("id: x\nthemes: [housing,\n")
    assert (line, rule) == (3, "yaml-syntax")
    assert message.startswith("YAML syntax: ")


def test_non_utf8_bytes_name_the_offset():
    assert problems_of(b"id: x\ntitle: caf\xe9\n") == [
        (2, 11, "encoding", "not UTF-8: byte 0xe9 at offset 16; save the file as UTF-8")
    ]


def test_empty_file():
    assert problems_of("# only a comment\n") == [(1, 1, "empty-file", "the file is empty")]


def test_alias_count_is_limited():
    ok = "base: &b x\nuses: [" + ", ".join(["*b"] * MAX_ALIASES) + "]\n"
    assert problems_of(ok) == []
    too_many = "base: &b x\nuses: [" + ", ".join(["*b"] * (MAX_ALIASES + 1)) + "]\n"
    [(_, _, rule, message)] = problems_of(too_many)
    assert (rule, message) == ("yaml-aliases", "refused: more than 100 aliases")


def test_expansion_is_limited_even_under_the_alias_count():
    text = billion_laughs()
    assert text.count("*") == 90  # under the alias limit: only the expansion bound stops it
    [(_, _, rule, message)] = problems_of(text)
    assert (rule, message) == ("yaml-expansion", "refused: more than 10,000 values once aliases are expanded")


def test_plain_files_with_too_many_values_are_refused():
    text = "values: [" + ", ".join(["1"] * 10_001) + "]\n"
    [(_, _, rule, _)] = problems_of(text)
    assert rule == "yaml-expansion"


def test_recursive_aliases_are_refused():
    [(_, _, rule, _)] = problems_of("a: &a [*a]\n")
    assert rule == "yaml-recursive"


def test_merge_keys_are_refused():
    [(_, _, rule, _)] = problems_of("base: &b {a: 1}\nother:\n  <<: *b\n")
    assert rule == "yaml-merge"


def test_non_finite_numbers_are_errors():
    [(_, _, rule, message)] = problems_of("value: .nan\n")
    assert (rule, message) == ("yaml-value", "'.nan' is not a finite number")


def test_impossible_dates_are_errors():
    [(_, _, rule, message)] = problems_of("last_reviewed: 2026-02-30\n")
    assert (rule, message) == ("yaml-value", "'2026-02-30' is not a valid timestamp")


def test_size_is_checked_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (300 * 1024) + b"\n")
    [problem] = check(path).errors
    assert (problem.rule, problem.message) == ("file-size", "the file is 300 KiB; a case file may be at most 256 KiB")


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "example-council-tax-single-view.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_FILE.read_bytes())
    assert check(path).errors == []


MEASURE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from generator import load_catalogue
    start = time.perf_counter()
    catalogue = load_catalogue([sys.argv[1]])
    elapsed = time.perf_counter() - start
    # VmHWM is this program's own peak (ru_maxrss would include the parent it was forked from)
    status = Path("/proc/self/status").read_text()
    peak_mb = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM"))) / 1024
    print(json.dumps({"rules": [p.rule for p in catalogue.errors], "seconds": elapsed, "peak_mb": peak_mb}))
    """
)


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (billion_laughs().encode(), "yaml-expansion"),
        (
            ("a: [" + ", ".join(["*x"] * 5) + "]\n").encode().replace(b"a: [", b"x: &x [lol]\na: [")
            + billion_laughs(12, 50).encode(),
            "yaml-aliases",
        ),
        (b"a: " + b"x" * (300 * 1024) + b"\n", "file-size"),
    ],
    ids=["billion-laughs", "many-aliases", "300-KiB"],
)
def test_hostile_files_are_refused_quickly_in_little_memory(tmp_path, content, rule):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=30, cwd=ROOT
    )
    report = json.loads(result.stdout)
    assert report["rules"] == [rule]
    assert report["seconds"] < 1.0
    assert report["peak_mb"] < 150


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("a: " + "[" * 19 + "]" * 19, False),  # the document's mapping and 19 lists: 20 levels
        ("a: " + "[" * 20 + "]" * 20, True),
        ("a: " + "[" * 500 + "]" * 500, True),
        ("a: " + "{b: " * 600 + "1" + "}" * 600, True),
        ("".join("  " * i + "k:\n" for i in range(500)) + "  " * 500 + "k: 1\n", True),
        ("x: &x " + "[" * 15 + "]" * 15 + "\ny: [[[[[[*x]]]]]]\n", True),  # deep through an alias
    ],
    ids=["20-levels", "21-levels", "500-flow", "600-mappings", "500-block", "alias"],
)
def test_values_nested_more_than_20_levels_are_refused_without_recursion(text, refused):
    doc, problems = parse_bytes(text.encode(), "cases/deep.yaml")
    if refused:
        assert doc is None
        [problem] = problems
        assert (problem.rule, problem.message) == (
            "yaml-depth",
            "refused: values are nested more than 20 levels deep (a case needs at most 4)",
        )
    else:
        assert doc is not None and problems == []


@pytest.mark.site
def test_a_deep_file_is_one_message_on_every_command(tmp_path):
    make_small_project(tmp_path)
    (tmp_path / "cases" / "deep.yaml").write_text("a: " + "[" * 500 + "]" * 500 + "\n")
    for command in (["validate"], ["export", "--out", "out"], ["build"], ["fmt", "--check"]):
        result = run_cli(*command, "cases" if command[0] in ("validate", "fmt") else "--cases=cases", cwd=tmp_path)
        assert "Traceback" not in result.stderr, command
        assert "[yaml-depth]" in result.stdout, (command, result.stdout, result.stderr)
