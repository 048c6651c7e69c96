"""The engines that turn ``docs/`` into HTML: MkDocs with Material (the default) and Zensical.

Both read the same ``mkdocs.yml`` and the same ``docs/`` and ``overrides/``, and both
stop on a broken link or anchor: MkDocs through the ``strict`` and ``validation``
settings in ``mkdocs.yml``, Zensical through its ``--strict`` flag. A failed build
raises :class:`BuildError` with the engine's own warnings, so the message says which
page and which link.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import BuildError
from ..core.project import Project

ENGINES = ("mkdocs", "zensical")
# The Zensical release the overrides are tested with (see pyproject.toml's "zensical" extra).
ZENSICAL_EXTRA = "council-data-casebook[zensical]"


def _failure(engine: str, error: object, warnings: list[str]) -> BuildError:
    lines = tuple(line for message in warnings for line in message.strip().splitlines() if line.strip())
    return BuildError(f"{engine} build failed: {error}", lines)


def run_mkdocs(config: Any) -> None:
    """Build with MkDocs into ``config["site_dir"]``; its warnings go into the error if it fails."""
    import logging  # here, not above: the commands that build nothing start faster

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    warnings: list[str] = []
    keep = logging.Handler(logging.WARNING)
    keep.emit = lambda record: warnings.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(keep)
    try:
        mkdocs_build(config)
    except BuildError:
        raise
    except (MkDocsException, OSError) as error:
        raise _failure("mkdocs", error, warnings) from error
    except Exception as error:  # a Markdown extension's own error: report it, never a traceback
        raise _failure("mkdocs", f"{type(error).__name__}: {error}", warnings) from error
    finally:
        logger.removeHandler(keep)


def zensical_config(project: Project, site_dir: Path) -> dict[str, Any]:
    """``mkdocs.yml`` for Zensical, building into ``site_dir``, which is inside the project.

    Zensical reads its folders relative to its configuration file, which is written in the
    project's root, and needs them inside it, written relatively (it stops on absolute ones).
    """
    root = project.config_file.resolve().parent

    def relative(path: Path) -> str:
        return os.path.relpath(path.resolve(), root)

    raw = yaml.safe_load(project.config_file.read_text(encoding="utf-8")) or {}
    raw["docs_dir"] = relative(project.docs)
    raw["site_dir"] = relative(site_dir)
    if project.overrides is not None:
        raw.setdefault("theme", {})["custom_dir"] = relative(project.overrides)
    for extension in raw.get("markdown_extensions") or []:
        if isinstance(extension, dict) and isinstance(extension.get("pymdownx.snippets"), dict):
            extension["pymdownx.snippets"]["base_path"] = [relative(project.docs)]
    return raw


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_report(output: str) -> list[str]:
    """What Zensical printed, for a person: colours removed, and of a Python traceback only its
    last line (``RuntimeError: Aborted because --strict flag is set``)."""
    lines = _ANSI.sub("", output).splitlines()
    if "Traceback (most recent call last):" in lines:
        start = lines.index("Traceback (most recent call last):")
        lines = lines[:start] + lines[-1:]
    return lines[:200]


def run_zensical(project: Project, site_dir: Path) -> None:
    """Build with Zensical (``zensical build --strict``) into ``site_dir``.

    Zensical takes its project root from where its configuration file is and builds only
    inside it: the configuration is written there for the build and removed after, and a
    site outside the project is built in a folder of the project, then moved.
    """
    import importlib.util
    import shutil
    import subprocess
    import tempfile

    if importlib.util.find_spec("zensical") is None:
        raise BuildError(f"Zensical is not installed: pip install '{ZENSICAL_EXTRA}'")
    root = project.config_file.resolve().parent
    inside = site_dir.resolve().is_relative_to(root)
    with tempfile.TemporaryDirectory(prefix=".zensical-", dir=root) as scratch:
        output = site_dir if inside else Path(scratch) / "site"
        config_file = Path(f"{scratch}.yml")
        config_file.write_text(yaml.safe_dump(zensical_config(project, output), sort_keys=False), encoding="utf-8")
        command = [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config_file)]
        try:
            done = subprocess.run(
                command, cwd=root, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False
            )
        except OSError as error:
            raise BuildError(f"cannot run zensical: {error}") from error
        finally:
            config_file.unlink(missing_ok=True)
        if done.returncode != 0:
            raise _failure("zensical", f"exit code {done.returncode}", zensical_report(done.stdout + done.stderr))
        if not inside:
            shutil.move(output, site_dir)
