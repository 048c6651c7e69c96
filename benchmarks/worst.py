"""Worst-case case files: the largest Markdown a case file may hold, nested and marked up to the limit.

    python benchmarks/worst.py OUT_FOLDER

writes two files beside a copy of the minimal case: ``worst-refused.yaml``, 125,000
nested block quotes (the validator refuses it), and ``worst-allowed.yaml``, close to
256 KiB of the heaviest Markdown the validator accepts (block quotes and lists nested
20 deep, emphasis, links, code and long words). benchmarks/run.py times a build and a
review with each beside the same build and validation without them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "example-council-tax-single-view.yaml"
LIMIT = 256 * 1024 - 6 * 1024  # room for the rest of the case


def _heavy_block(depth: int) -> str:
    quote = "> " * (depth // 2)
    lines = [f"{quote}- " * 1 + "*em* **strong** `code` [link](https://example.org/a) " + "word" * 40]
    lines += [f"{quote}{'  ' * i}- item *{i}*" for i in range(depth // 2 - 1)]
    return "\n".join(lines) + "\n\n"


def allowed_markdown(room: int = LIMIT) -> str:
    block = _heavy_block(12)
    return block * (room // len(block.encode("utf-8")))


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    written = []
    for name, problem in (("worst-refused", "> " * 125_000 + "x"), ("worst-allowed", None)):
        room = LIMIT
        while True:  # the YAML around the text takes some room: fill what is left
            case = {**base, "id": name, "problem": problem or allowed_markdown(room)}
            text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=10**9)
            if len(text.encode("utf-8")) <= 256 * 1024:
                break
            room -= 8 * 1024
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1])):
        print(path, path.stat().st_size)
