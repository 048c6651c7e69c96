"""Docs generated from code stay in step with it, and every command explains itself."""

from __future__ import annotations

import subprocess
import sys

import click

from generator.cli import main

from conftest import ROOT


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
