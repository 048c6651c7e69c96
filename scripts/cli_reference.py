"""Write docs/cli.md from the casebook command's own --help texts.

python scripts/cli_reference.py          # rewrite docs/cli.md
python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli import main

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def help_text(command: click.Command, name: str, parent: click.Context | None = None) -> str:
    settings = {**main.context_settings, "terminal_width": 100}
    with click.Context(command, info_name=name, parent=parent, **settings) as ctx:
        return command.get_help(ctx)


def reference() -> str:
    lines = [
        "---",
        "title: Command reference",
        "description: Every casebook command and option, from the commands' own help.",
        "---",
        "",
        "# Command reference",
        "",
        "This page is generated from `casebook --help` by `scripts/cli_reference.py`; a test fails if it drifts.",
        "",
        "```text",
        help_text(main, "casebook"),
        "```",
        "",
    ]
    root = click.Context(main, info_name="casebook")
    for name in sorted(main.commands):
        lines += [f"## casebook {name}", "", "```text", help_text(main.commands[name], name, root), "```", ""]
    return "\n".join(lines)


def main_cli() -> None:
    text = reference()
    if "--check" in sys.argv:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} is out of date: run python scripts/cli_reference.py", file=sys.stderr)
            sys.exit(1)
        return
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main_cli()
