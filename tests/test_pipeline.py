"""The pipeline's shape: modules import only those below them, and its output is pinned.

Data flows one way (load -> validate -> catalogue -> pages | exports -> build ->
serve -> cli). The first test reads every import in ``generator/`` (those inside
functions too) and checks the order below; the second pins the generated pages
and export files of a fixed catalogue to recorded digests, so a refactoring that
changes a byte of output fails. After an intended change of output, record the
new digests with ``CASEBOOK_UPDATE_GOLDEN=1 pytest tests/test_pipeline.py``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os

from generator import load_catalogue
from generator.exports.export import export_files
from generator.site.pages import render_pages

from helpers import CONFIG_WITH_REPO, FIXTURES, ROOT, TODAY

# Lowest first: a module may import only modules listed before it. The folders are the
# stages: core (read, check, model), site, maintain, exports; the command on top.
LAYERS = [
    "core", "site", "maintain", "exports",
    "core.errors", "core.problems", "core.project", "core.markdown", "core.load", "core.schema", "core.register",
    "core.council_checks", "core.explain", "core.values", "core.rules", "core.validate", "core.checking", "core.files", "core.facets", "core.catalogue", "core.changes",
    "core.history",
    "site.render", "site.hexmap", "site.form", "maintain.scaffold", "maintain.fmt", "maintain.review",
    "maintain.report", "exports.tables", "site.pages.common", "site.pages.fields", "site.pages.councils", "site.pages.browse",
    "site.pages.case", "site.pages.search", "site.pages.home", "site.pages.finder", "site.pages.map",
    "site.pages.reference", "site.pages", "exports.database", "exports.export", "site.processes", "site.engines", "site.build", "site.live", "site.serve",
    "options", "cli", "__init__", "__main__",
]  # fmt: skip
GOLDEN = FIXTURES / "golden" / "digests.json"


def _module_name(path) -> str:
    """``generator/core/load.py`` -> ``core.load``; a package's ``__init__.py`` is the package."""
    parts = path.relative_to(ROOT / "generator").with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, alias: str | None, is_package: bool = False) -> str:
    """The generator module an import names, relative (``from ..core.schema``) or absolute."""
    if node.level == 0:
        return (node.module or "").removeprefix("generator.")
    top_level = module.startswith("__") or "." not in module and not is_package
    package = [] if top_level else module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    target = [*base, *(node.module.split(".") if node.module else [])]
    if alias and not node.module:
        target.append(alias)
    return ".".join(target)


def package_imports() -> dict[str, set[str]]:
    """Each generator module and the generator modules it imports, wherever the import stands."""
    found = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        module = _module_name(path)
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("generator.")):
                for alias in node.names if not node.module else [None]:
                    name = alias.name if alias else None
                    names.add(_resolve(module, node, name, path.name == "__init__.py" and module != "__init__"))
        found[module] = names
    return found


def test_every_module_imports_only_modules_below_it():
    imports = package_imports()
    assert set(imports) == set(LAYERS), "add a new module to LAYERS, at its place in the pipeline"
    unknown = {name for names in imports.values() for name in names} - set(LAYERS)
    assert unknown == set()
    upward = {
        (module, other)
        for module, names in imports.items()
        for other in names
        if LAYERS.index(other) >= LAYERS.index(module)
    }
    assert upward == set()
    assert not [m for m, names in imports.items() if "cli" in names and m != "__main__"]


def outputs() -> dict[str, str]:
    folders = [FIXTURES / "valid", FIXTURES / "tricky", FIXTURES / "hostile"]
    catalogue = load_catalogue(folders, today=TODAY, known_ids={"camden-residents-index"})
    assert catalogue.errors == []
    digests = {
        f"page {k}": hashlib.sha256(v.encode()).hexdigest()
        for k, v in render_pages(catalogue, CONFIG_WITH_REPO).items()
    }
    for name, data in export_files(catalogue.cases, ["all"], CONFIG_WITH_REPO, zipped=True).items():
        digests[f"export {name}"] = hashlib.sha256(data).hexdigest()
    return dict(sorted(digests.items()))


def test_generated_pages_and_exports_are_byte_identical_to_the_recorded_ones():
    current = outputs()
    if os.environ.get("CASEBOOK_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(current, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(k for k in set(current) | set(recorded) if current.get(k) != recorded.get(k))
    assert changed == [], "output changed; if intended, record it (see this module's docstring)"


def test_no_module_imports_another_modules_private_names():
    private = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("generator")):
                private += [f"{_module_name(path)}: {alias.name}" for alias in node.names if alias.name.startswith("_")]
    assert private == []


def test_no_module_is_over_400_lines():
    long = {
        _module_name(path): n
        for path in (ROOT / "generator").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_block_of_six_or_more_lines_is_repeated():
    """A block of six lines written twice is a helper waiting to be named (blank and comment lines aside)."""
    width = 6
    places: dict[tuple[str, ...], list[str]] = {}
    for path in sorted((ROOT / "generator").rglob("*")):
        if path.suffix not in {".py", ".j2"}:
            continue
        numbered = [
            (number, line.strip())
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip() and not line.strip().startswith(("#", "{#"))
        ]
        for start in range(len(numbered) - width + 1):
            block = tuple(line for _, line in numbered[start : start + width])
            places.setdefault(block, []).append(f"{path.relative_to(ROOT)}:{numbered[start][0]}")
    assert [where for where in places.values() if len(where) > 1] == []
