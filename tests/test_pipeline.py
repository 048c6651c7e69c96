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
from generator.export import export_files
from generator.pages import render_pages

from helpers import CONFIG_WITH_REPO, FIXTURES, ROOT, TODAY

# Lowest first: a module may import only modules listed before it.
LAYERS = [
    "errors", "problems", "markdown", "load", "schema", "register", "council_checks", "validate", "files", "facets", "catalogue", "changes", "history", "config",
    "render", "hexmap", "form", "scaffold", "fmt", "review", "report", "tables", "pages", "export", "build", "serve",
    "cli", "__init__", "__main__",
]  # fmt: skip
GOLDEN = FIXTURES / "golden" / "digests.json"


def package_imports() -> dict[str, set[str]]:
    """Each generator module and the generator modules it imports, wherever the import stands."""
    found = {}
    for path in sorted((ROOT / "generator").glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    names.add(node.module.split(".")[0])
                else:
                    names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
                names.add(node.module.split(".")[1])  # type: ignore[union-attr]
        found[path.stem] = names
    return found


def test_every_module_imports_only_modules_below_it():
    imports = package_imports()
    assert set(imports) == set(LAYERS), "add a new module to LAYERS, at its place in the pipeline"
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
