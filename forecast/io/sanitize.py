"""Make text from user files safe to show: on a terminal, in a spreadsheet, in a document.

- :func:`terminal_safe` for anything printed (error messages, summaries): control characters
  become visible escapes, so a scenario name cannot move the cursor, retitle the terminal, ring
  the bell or hide text with a carriage return; bidi overrides are removed ("Trojan source").
- :func:`csv_cell` for every cell of a CSV meant to be opened in a spreadsheet: text that a
  spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection").
- :func:`no_zero_width` for names and labels that are compared or displayed: zero-width
  characters are removed, so two names that look the same are the same.
"""

from __future__ import annotations

_KEEP = {ord("\n"), ord("\t")}
_CONTROLS = [c for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in _KEEP]
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ZERO_WIDTH = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

_TERMINAL: dict[int, str | None] = {c: f"\\x{c:02x}" for c in _CONTROLS}
_TERMINAL.update(dict.fromkeys(_BIDI))
_NO_ZERO_WIDTH: dict[int, None] = dict.fromkeys(_ZERO_WIDTH)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(text: str) -> str:
    """Text that prints as itself on a terminal.

    C0 and C1 control characters and DEL (ESC, CR, BEL, CSI ``\\x9b``, ...) are replaced by a
    visible escape such as ``\\x1b``; newline and tab are kept. The bidi embedding, override
    and isolate characters (U+202A–U+202E, U+2066–U+2069) are removed.

    Parameters
    ----------
    text
        Any text, typically a value read from a user's file or a path.

    Returns
    -------
    str
        The text with the characters above replaced or removed.
    """
    return text.translate(_TERMINAL)


def no_zero_width(text: str) -> str:
    """``text`` without zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF)."""
    return text.translate(_NO_ZERO_WIDTH)


def _is_number(text: str) -> bool:
    if text != text.strip():
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cell(value: object) -> str:
    """The text of one CSV cell, escaped so that a spreadsheet will not run it as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``, unless it is a number as written (``-0.25``, ``+3``, ``-1e-3``), which is left alone.
    Quoting of separators and quotes is the CSV writer's job, not this function's.

    Parameters
    ----------
    value
        A cell value: text, a number, a boolean or ``None`` (an empty cell).

    Returns
    -------
    str
        The cell's text.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text
