"""Problems found in case files: plain data that the reporters print."""

from __future__ import annotations

import unicodedata
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


# Characters a terminal or a viewer may act on rather than show: C0 and C1 controls
# (escape sequences, bell, carriage return), format characters (bidirectional
# overrides, zero-width characters), line and paragraph separators, lone surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


def visible(text: str) -> str:
    """``text`` with every character a terminal could act on written as an escape (``\\x1b``,
    ``\\u202e``), so a message that quotes case text or a file name shows it, never obeys it."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escape(c) if _hidden(c) else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def json_visible(text: str) -> str:
    """JSON text with the characters :func:`visible` escapes written as JSON escapes instead:
    the same data for a program that reads it, nothing for a terminal to act on."""
    if text.isascii():
        return text  # json.dumps has escaped every control character below U+0080 already
    return "".join(_json_escape(c) if c >= "\x80" and _hidden(c) else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
