"""Problems found in case files: plain data that the reporters print."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, with where it is and which rule it breaks."""

    file: str
    line: int
    column: int
    path: str
    rule: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def format_path(parts: tuple[str | int, ...]) -> str:
    """``("councils", 0, "gss_code")`` -> ``councils[0].gss_code``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
