"""The options the ``casebook`` commands share, and how they print problems.

Each option is written once here: where the cases, the configuration and the site are
(:func:`project_options`, which hands a command one :class:`~generator.core.project.Project`),
the date to check against, the output format, the export's filters.
"""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from .core.errors import CasebookError, InvalidCatalogue
from .core.problems import Problem, visible
from .core.project import CASES, CONFIG, Project
from .maintain import report


class DateType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click stubs
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


def today_option(func: Any) -> Any:
    return click.option(
        "--today",
        type=DateType(),
        default=None,
        help="Check dates as if today were this date (default: the real date).",
    )(func)


cases_option = click.option(
    "--cases",
    type=click.Path(file_okay=False, path_type=Path),
    default=CASES,
    show_default=True,
    help="The folder of case files.",
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG,
    show_default=True,
    help="The MkDocs configuration of the site.",
)


def format_option(func: Any) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(sorted(report.REPORTERS)),
        default="text",
        show_default=True,
        help="text for people, github for annotations on a pull request, json for other tools.",
    )(func)


def print_problems(problems: list[Problem], files: int, fmt: str = "text") -> None:
    colour = fmt == "text" and sys.stdout.isatty()
    click.echo(report.REPORTERS[fmt](problems, files, colour), color=colour)


def report_build_error(error: CasebookError) -> None:
    if isinstance(error, InvalidCatalogue):
        print_problems(error.problems, len({p.file for p in error.problems}))
        click.secho("The catalogue does not validate; the last good site is still being served.", fg="red", err=True)
    else:
        click.secho(f"Error: {visible(str(error))}", fg="red", err=True)


site_dir_option = click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the built site goes.  [default: site_dir in mkdocs.yml, or site]",
)


def project_options(func: Any) -> Any:
    """--cases, --config and --site-dir, handed to the command as one ``project``."""

    @functools.wraps(func)
    def command(*args: Any, cases: Path, config_file: Path, site_dir: Path | None, **kwargs: Any) -> Any:
        return func(*args, project=Project.load(cases, config_file, site_dir), **kwargs)

    return cases_option(config_option(site_dir_option(command)))


def filter_options(func: Any) -> Any:
    from .core.facets import FACETS

    for facet in reversed(FACETS):
        func = click.option(
            f"--{facet.name}",
            facet.name.replace("-", "_"),
            multiple=True,
            metavar="VALUE",
            help=f"Only cases with this {facet.one.lower()} (repeat for any of several).",
        )(func)
    return click.option(
        "--min-evidence",
        type=click.IntRange(1, 5),
        default=None,
        help="Only cases with at least this evidence level (1-5).",
    )(func)
