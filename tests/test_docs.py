"""Docs generated from code stay in step with it, and every command explains itself."""

from __future__ import annotations

import subprocess
import sys

import click

from generator.cli import main

from helpers import ROOT


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help and len(command.help.split()) >= 20, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_the_cli_reference_is_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_the_cli_reference_documents_every_command():
    text = (ROOT / "docs" / "cli.md").read_text()
    for name in main.commands:
        assert f"## casebook {name}" in text


def test_each_export_filter_is_named_in_the_singular():
    from generator.core.facets import FACETS

    assert all(facet.one for facet in FACETS)
    text = (ROOT / "docs" / "cli.md").read_text()
    assert "Only cases with this status (repeat" in text
    for facet in FACETS:
        assert f"Only cases with this {facet.one.lower()} (repeat" in text, facet.name


def test_the_readme_release_step_writes_the_zip_it_attaches():
    import re

    readme = (ROOT / "README.md").read_text()
    steps = re.findall(r"`(\.venv/bin/casebook export [^`]*)` and attach\s+`([^`]+\.zip)`", readme)
    assert steps, "the README's release step"
    for command, _ in steps:
        assert "--zip" in command.split(), command
