"""The ``casebook`` command: parse arguments, call the library, print, exit.

Every command's body is a few lines; the work is done in the library modules.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from .core.catalogue import load_catalogue
from .core.errors import CasebookError, InvalidCatalogue
from .core.problems import visible
from .core.project import CASES, Project
from .exports import DEFAULT_FORMATS, FORMATS
from .options import (
    cases_option,
    filter_options,
    format_option,
    print_problems,
    project_options,
    report_build_error,
    today_option,
)
from .site.engines import ENGINES


class _Group(click.Group):
    """Turns the library's own errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidCatalogue as error:
            print_problems(error.problems, len({p.file for p in error.problems}))
            click.secho(f"Stopped: {error}. Fix them and run the command again.", fg="red", err=True)
            ctx.exit(1)
        except CasebookError as error:
            click.secho(f"Error: {visible(str(error))}", fg="red", err=True)
            for line in error.details:
                click.echo(f"  {visible(line)}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="council-data-casebook")
def main() -> None:
    """Council Data Casebook: case studies of UK councils using data.

    Each case is a YAML file in cases/. This command checks the files, starts new
    ones, and publishes them as a searchable website and as data for research.

    \b
    Start here:
      casebook new my-council-project   start a case from a template
      casebook validate                 check every case in cases/
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option(
    "--changed",
    is_flag=True,
    help="Check only the case files changed since --base (and the catalogue-wide "
    "rules they affect, such as a renamed id still listed in another case's related).",
)
@click.option("--base", default="origin/main", show_default=True, help="The git ref --changed compares with.")
@today_option
def validate(paths: tuple[str, ...], fmt: str, strict: bool, changed: bool, base: str, today: date | None) -> None:
    """Check case files against the case format and the catalogue's rules.

    PATHS are case files or folders of them (default: cases). Every problem is
    reported, each with its file, line, column and the key it concerns, for
    example:

    \b
      cases/x.yaml:7:3: error: themes[1]: 'housin' is not a term of the
      'themes' vocabulary; did you mean 'housing'? [vocabulary]

    Warnings (a review more than 24 months old, a link on plain http) do not
    fail the check unless --strict. Exit status: 0 valid, 1 problems found,
    2 the command itself was wrong (for example a path that does not exist).
    """
    catalogue = load_catalogue(paths or (CASES,), today=today)
    problems, files = catalogue.problems, len(catalogue.files)
    if changed:
        from .core.changes import changed_cases

        change = changed_cases(Path(paths[0]) if paths else CASES, base)
        problems, files = change.problems_of(problems), len(change.changed)
    print_problems(problems, files, fmt)
    failing = [p for p in problems if strict or p.severity == "error"]
    sys.exit(1 if failing else 0)


@main.command()
@click.argument("case_id")
@click.option("--title", default="", help="The case's title, if you know it already.")
@cases_option
@click.option(
    "--cases-dir", type=click.Path(file_okay=False, path_type=Path), hidden=True, help="The former name of --cases."
)
def new(case_id: str, title: str, cases: Path, cases_dir: Path | None) -> None:
    """Start a new case file, cases/CASE_ID.yaml, from a commented template.

    CASE_ID is a short lowercase name with hyphens, such as
    kent-integrated-dataset. The template lists every field with what it means
    and the allowed terms. Each required value is left empty for you to write
    (casebook validate lists the ones still to fill in, once each); each optional
    field is a commented-out example to uncomment and change, or delete.
    """
    from .maintain.scaffold import new_case

    target = new_case(cases_dir or cases, case_id, title)
    click.echo(f"Created {visible(str(target))}. Fill it in, then run: casebook validate {visible(str(target))}")


@main.command()
@project_options
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="What turns the pages into HTML: MkDocs with Material, or Zensical (its successor; "
    "pip install 'council-data-casebook[zensical]').",
)
def build(project: Project, engine: str) -> None:
    """Build the website from the case files.

    Checks every case first; if any has an error, nothing is built and the
    errors are listed as validate lists them. Otherwise the pages are generated
    into docs/catalogue/, MkDocs (or Zensical) builds the site, Pagefind indexes
    it for search, and the new site replaces the old one in SITE_DIR only once
    all of that has worked. A broken link or anchor stops the build.
    """
    from .site.build import build as build_site

    result = build_site(project, engine=engine)
    click.echo(
        f"Built {len(result.catalogue)} cases into {project.site_dir} "
        f"({result.pages_written} pages changed, {result.pages_removed} removed)."
    )


@main.command()
@project_options
@click.option(
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="HOST:PORT",
    help="Address to serve on (port 0: any free port).",
)
def serve(project: Project, dev_addr: str) -> None:
    """Build the site, serve it locally and rebuild it as you edit.

    Open the address shown in a browser. Whenever a case file (or a page in
    docs/) changes, the site is rebuilt and the browser reloads; if the case
    stops validating, its errors are printed here and the last good version
    stays up. Press Ctrl+C to stop.
    """
    from .site.serve import open_server
    from .site.serve import serve as serve_site

    server = open_server(dev_addr, project.site_dir)
    click.echo(f"Building, then serving on {server.url} (press Ctrl+C to stop).")
    serve_site(server, project, report_build_error, click.echo)


@main.command()
@click.option(
    "--format",
    "formats",
    type=click.Choice([*FORMATS, "all"]),
    multiple=True,
    help="csv: tidy tables and the data dictionary; json: cases.json; datapackage: the CSV tables plus "
    "datapackage.json; xlsx: one workbook (slower); sqlite: casebook.db with full-text search and Datasette's "
    "metadata.json; all: every format. Repeat to combine; "
    f"default: {', '.join(DEFAULT_FORMATS)}.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("export"),
    show_default=True,
    help="Folder to write the files to.",
)
@project_options
@click.option(
    "--zip/--no-zip",
    "zipped",
    default=False,
    show_default=True,
    help="Also write every file in one zip, council-data-casebook.zip.",
)
@click.option("--skip-invalid", is_flag=True, help="Export the valid cases even if some files have errors.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@filter_options
def export(
    formats: tuple[str, ...],
    out: Path,
    project: Project,
    zipped: bool,
    skip_invalid: bool,
    quiet: bool,
    min_evidence: int | None,
    **filters: tuple[str, ...],
) -> None:
    """Export the catalogue for analysis: CSV tables, JSON, a data package, XLSX.

    cases.csv has one row per case; case_councils.csv, case_themes.csv and the
    other long tables have one row per item, keyed by case_id; councils.csv has
    the register's row for each council code the cases name. Filters narrow
    the export, for example:

    \b
      casebook export --theme housing --region london --min-evidence 2

    An invalid catalogue is not exported unless --skip-invalid, which leaves
    out the files with errors and names them.
    """
    from .exports.export import ExportRequest, run_export

    request = ExportRequest(out, formats or DEFAULT_FORMATS, project, skip_invalid, min_evidence, filters, zipped)
    if not quiet and sys.stderr.isatty():
        with click.progressbar(length=2, label="Exporting", file=sys.stderr) as bar:
            result = run_export(request, lambda: bar.update(1))
    else:
        result = run_export(request)
    for name in result.left_out:
        click.secho(f"Left out (has errors): {visible(name)}", fg="yellow", err=True)
    if not quiet:
        click.echo(f"Exported {result.cases} cases to {out}: {', '.join(result.files)}")


@main.command(name="fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Only list the files that would change; exit 1 if any would.")
def fmt_command(paths: tuple[str, ...], check: bool) -> None:
    """Rewrite case files in the canonical key order and style.

    Keys follow the order of the case format, lists and mappings are written in
    block style, comments are kept, and no value ever changes (a file whose
    values would change is left alone and reported). Files are replaced
    atomically. Use --check in CI to list files that need formatting.
    """
    from .core.catalogue import find_case_files
    from .maintain.fmt import format_file

    files, refused = find_case_files(paths or (CASES,))
    results = [format_file(path, check=check) for path in files]
    problems = refused + [p for r in results for p in r.problems]
    changed = [r.file for r in results if r.changed]
    for name in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {visible(name)}")
    if problems:
        print_problems(problems, len(results))
    click.echo(f"{len(changed)} of {len(results)} files {'would change' if check else 'changed'}.")
    sys.exit(1 if problems or (check and changed) else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text for people, github for annotations on a pull request.",
)
@click.option(
    "--cases",
    type=click.Path(file_okay=False, path_type=Path),
    default=CASES,
    show_default=True,
    help="The catalogue to compare with, for possible duplicates.",
)
@click.option("--changed", is_flag=True, help="Review the case files changed since --base instead of PATHS.")
@click.option("--base", default="origin/main", show_default=True, help="The git ref --changed compares with.")
@today_option
def review(paths: tuple[str, ...], fmt: str, cases: Path, changed: bool, base: str, today: date | None) -> None:
    """A reviewer's summary of case files: what to check before merging.

    Lists the validation problems and warnings (plain http links, an overdue
    review), the reviewer's warnings (no measures, a measure without its
    source, thin replication guidance, what looks like personal data in free
    text) and the most similar existing cases, flagging a possible duplicate.
    Warnings never fail the command; errors do.
    """
    from .core.catalogue import find_case_files
    from .maintain.review import review_files

    if changed:
        from .core.changes import changed_cases

        targets = sorted(changed_cases(cases, base).changed)
    else:
        targets = find_case_files(paths)[0] if paths else []
    if not targets:
        click.echo("No case files to review.")
        return
    result = review_files(targets, load_catalogue([cases], today=today), today or date.today())
    if fmt == "text":
        for file, similar in result.similar.items():
            if similar:
                listed = ", ".join(f"{s.case.id} ({s.score:.0%})" for s in similar)
                click.echo(f"{visible(file)}: most similar existing cases: {listed}")
    print_problems(result.problems, result.files, fmt)
    sys.exit(1 if any(p.severity == "error" for p in result.problems) else 0)


@main.command()
@cases_option
@click.option(
    "--months",
    type=click.IntRange(min=1),
    default=24,
    show_default=True,
    help="A case is overdue this many months after its last review.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for a reminder issue.",
)
@today_option
def stale(cases: Path, months: int, fmt: str, today: date | None) -> None:
    """List the cases past their review date, oldest first.

    A case is overdue when its last_reviewed date is more than --months ago.
    Reviewing means checking it against its sources, updating what changed and
    setting last_reviewed to the date of the check.
    """
    import json

    from .maintain.review import stale_cases, stale_markdown

    today = today or date.today()
    overdue = stale_cases(load_catalogue([cases], today=today), today, months)
    if fmt == "json":
        rows = [{"id": c.id, "file": c.file, "last_reviewed": c["last_reviewed"], "months": age} for c, age in overdue]
        click.echo(json.dumps(rows, indent=2))
    elif fmt == "markdown":
        click.echo(stale_markdown(overdue, months), nl=False)
    else:
        for case, age in overdue:
            click.echo(f"{case['last_reviewed']}  {age:3d} months  {visible(case.file)}  {visible(case.title)}")
        click.echo(f"{len(overdue)} case{'s' * (len(overdue) != 1)} overdue for review (over {months} months).")
