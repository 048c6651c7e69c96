"""The benchmark harness runs end to end (on a tiny catalogue; timings are not checked here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import ROOT

pytestmark = pytest.mark.site  # builds whole sites with MkDocs


def test_the_benchmark_runs_to_completion(tmp_path):
    out = tmp_path / "results.json"
    # unmeasured by coverage, as a user runs it: the benchmark times the catalogue's commands
    unmeasured = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "50", "--repeat", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=unmeasured,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]  # none, not even from a late event handler
    assert "| target | value | limit | result |" in result.stdout
    report = json.loads(out.read_text())
    run = report["runs"][0]
    assert run["size"] == 50 and run["validate"]["seconds"] > 0 and run["first_search_bytes"] > 0
    home = run["first_home_search"]
    assert 0 < home["transferred"] < home["decoded"]  # text is served compressed, as a static host serves it
    assert {row["target"] for row in report["targets"]} >= {
        "validate / parse at 50",
        "hex map on the map page at 50",
        "hex map render at 50",
    }
    hexmap = run["hexmap"]
    assert 10_000 < hexmap["page_bytes"] < 60_000 and hexmap["home_bytes"] > 0 and 0 < hexmap["render_seconds"] < 1
    assert "| hex map render (share of the full build) |" in result.stdout


def test_synthetic_cases_validate(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generator import load_catalogue

    from synth import write_catalogue

    write_catalogue(60, tmp_path / "cases", seed=3)
    catalogue = load_catalogue([tmp_path / "cases"])
    assert catalogue.errors == [] and len(catalogue) == 60
    for facet in ("theme", "technique", "region", "status", "evidence", "challenge", "success-factor"):
        assert catalogue.index(facet), facet
    words = [len(c["problem"].split()) for c in catalogue.cases]
    assert min(words) >= 100 and max(words) <= 300
