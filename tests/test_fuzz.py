"""Fuzzing: whatever bytes or YAML structures arrive, the validator returns problems and never raises."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import load_catalogue
from generator.core.explain import schema_problems
from generator.core.load import parse_bytes
from generator.core.rules import case_rules, catalogue_rules
from generator.core.values import text_problems

from helpers import MINIMAL_FILE, TODAY

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = list(yaml.safe_load(MINIMAL_FILE.read_text())) + ["councils", "impact", "related", "x"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["housing", "live", "2026-11-01", "E09000007", "https://example.org"]),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), children, max_size=5),
    ),
    max_leaves=30,
)


def validate_all(data: bytes) -> list:  # type: ignore[type-arg]
    doc, problems = parse_bytes(data, "cases/fuzz.yaml")
    if doc is not None:
        problems += schema_problems(doc) + text_problems(doc) + case_rules(doc, TODAY) + catalogue_rules([doc], set())
    return problems


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    problems = validate_all(data)
    assert all(p.line >= 1 and p.column >= 1 and p.message for p in problems)


@SETTINGS
@given(structures)
def test_random_structures_return_problems_and_never_raise(value):
    text = yaml.safe_dump(value, allow_unicode=True).encode()
    problems = validate_all(text)
    assert problems, "a random structure is never a valid case"
    assert all(p.severity in ("error", "warning") and p.message for p in problems)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), structures, max_size=8))
def test_broken_cases_on_disk_never_raise(tmp_path_factory, changes):
    base = yaml.safe_load(MINIMAL_FILE.read_text())
    folder = Path(tmp_path_factory.mktemp("fuzz"))
    path = folder / "example-council-tax-single-view.yaml"
    path.write_text(yaml.safe_dump({**base, **changes}, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalogue([path], today=TODAY)
    assert len(catalogue.cases) + len(catalogue.invalid_files) == 1
