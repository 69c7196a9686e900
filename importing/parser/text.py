"""Stage 1, text: normalisation, and the small string helpers every later stage shares.

Footnote markers travel inside the text as sentinels (``sentinel(n)``) until the final strings are
cut, so that joins and headline splits keep them in place; ``extract_markers`` then strips them and
keeps their offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SPACES_RE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Control characters other than newline and form feed (a PDF page break).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalize_text(text: str) -> str:
    """Line endings to ``\\n``, odd spaces to plain ones, invisible characters and ligatures undone.

    Keeps the line count of ``\\n``/``\\r\\n`` text so that problems point at the right lines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _CONTROL_RE.sub("", text)
    for lig, plain in _LIGATURES.items():
        if lig in text:
            text = text.replace(lig, plain)
    return text


S_OPEN, _S_CLOSE = "\ue000", "\ue001"
SENTINEL_RE = re.compile(f"{S_OPEN}(\\d+){_S_CLOSE}")


def sentinel(n: int) -> str:
    return f"{S_OPEN}{n}{_S_CLOSE}"


def unmarked(text: str) -> str:
    return SENTINEL_RE.sub("", text) if S_OPEN in text else text


def extract_markers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip sentinels; return the clean text and (footnote number, offset) pairs."""
    if S_OPEN not in text:
        return text, []
    out: list[str] = []
    found: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in SENTINEL_RE.finditer(text):
        chunk = text[pos : m.start()]
        after = text[m.end() : m.end() + 1]
        if chunk.endswith(" ") and (after in (" ", "") or after in ".,;:)"):
            chunk = chunk[:-1]  # " ¹ " or " ¹." would leave a stray space
        out.append(chunk)
        length += len(chunk)
        found.append((int(m.group(1)), length))
        pos = m.end()
    out.append(text[pos:])
    clean = "".join(out)
    if clean != clean.strip():
        lead = len(clean) - len(clean.lstrip())
        clean = clean.strip()
        found = [(n, max(0, min(len(clean), off - lead))) for n, off in found]
    return clean, found


_CLOSERS = "\"'”’»)]*_"
_TERMINAL_RE = re.compile(r"[.;:!?…][\"'”’»)\]*_]*$")


def ends_terminal(text: str) -> bool:
    return bool(_TERMINAL_RE.search(unmarked(text).rstrip()))


def starts_lower(text: str) -> bool:
    for ch in unmarked(text):
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def join_text(prev: str, nxt: str, mode: str) -> str:
    """Join two pieces of an item: ``space`` (a wrapped or broken line), ``para`` or ``line``."""
    if not prev:
        return nxt
    if not nxt:
        return prev
    if mode == "para":
        return f"{prev}\n\n{nxt}"
    if mode == "line":
        return f"{prev}\n{nxt}"
    # A word split at the line end by a hyphen or a slash ("youth-" / "focused", "P/" / "CVERLT").
    if prev[-1] in "-/" and len(prev) > 1 and prev[-2].isalnum() and nxt[0].isalnum():
        return prev + nxt
    return f"{prev} {nxt}"


class TextBuilder:
    """Text joined piece by piece as ``join_text`` joins it, in linear time.

    A page-long item is built from thousands of lines; joining strings one line at a time (and
    asking whether the text so far ends a sentence after each) made parsing quadratic in the item's
    length. The builder keeps the pieces and answers questions about the end of the text from its
    last characters, reading the whole only when those cannot tell.
    """

    __slots__ = ("_length", "_parts")
    _TAIL = 256

    def __init__(self, text: str = "") -> None:
        self._parts: list[str] = [text] if text else []
        self._length = len(text)

    def __bool__(self) -> bool:
        return self._length > 0

    def value(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def add(self, nxt: str, mode: str) -> None:
        if not nxt:
            return
        if self._length:
            self._append(self._separator(nxt, mode))
        self._append(nxt)

    def _separator(self, nxt: str, mode: str) -> str:
        if mode == "para":
            return "\n\n"
        if mode == "line":
            return "\n"
        prev = self.tail(2)
        if prev[-1] in "-/" and len(prev) > 1 and prev[-2].isalnum() and nxt[0].isalnum():
            return ""
        return " "

    def _append(self, piece: str) -> None:
        if piece:
            self._parts.append(piece)
            self._length += len(piece)

    def tail(self, n: int) -> str:
        """The last ``n`` characters (fewer when the text is shorter)."""
        picked: list[str] = []
        size = 0
        for piece in reversed(self._parts):
            picked.append(piece)
            size += len(piece)
            if size >= n:
                break
        return "".join(reversed(picked))[-n:]

    def _bare_end(self) -> str | None:
        """The text's end without markers and trailing spaces, or None when the end is too short
        to decide on (the caller then reads the whole text)."""
        if self._length <= self._TAIL:
            return unmarked(self.value()).rstrip()
        tail = self.tail(self._TAIL)
        close, opening = tail.find(_S_CLOSE), tail.find(S_OPEN)
        if close >= 0 and (opening < 0 or close < opening):
            tail = tail[close + 1 :]  # the cut fell inside a marker: drop its remains
        bare = unmarked(tail).rstrip()
        return bare if bare.rstrip(_CLOSERS) else None

    def ends_terminal(self) -> bool:
        bare = self._bare_end()
        return ends_terminal(self.value() if bare is None else bare)

    def last_char(self) -> str:
        """The last character that is not a marker or a space ("" for none)."""
        bare = self._bare_end()
        if bare is None:
            bare = unmarked(self.value()).rstrip()
        return bare[-1:]


_LINK_RE = re.compile(r"!?\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def _link_repl(m: re.Match[str]) -> str:
    text, url = m.group(1), m.group(2)
    if not url or url.startswith("#") or url in text:
        return text
    return f"{text} ({url})"


def clean_inline(line: str) -> str:
    if "](" in line:
        line = _LINK_RE.sub(_link_repl, line)
    if "\\" in line:
        line = _ESCAPE_RE.sub(r"\1", line)
    return line


_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")


def plain_line(text: str) -> str:
    """A heading or title line without its Markdown decoration (#, bold, trailing colon)."""
    t = _MD_HEADING_RE.sub("", text.strip())
    t = t.replace("**", "").replace("__", "").strip()
    if len(t) > 1 and t[0] == "*" and t[-1] == "*":
        t = t[1:-1].strip()
    return t.rstrip(":").strip()


def is_caps(text: str) -> bool:
    letters = [c for c in unmarked(text) if c.isalpha()]
    if len(letters) < 4:
        return False
    return sum(1 for c in letters if c.isupper()) >= 0.85 * len(letters)


_ABBREVIATION_WORDS = (
    "e.g i.e etc u.s u.n u.k mr ms mrs dr prof no vs cf al st inc ltd jr sr approx fig pp vol art para paras"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]*]*(?=\s+[\"'“‘(*]*[A-Z0-9])")


def sentence_ends(text: str) -> Iterable[int]:
    """Offsets just after each sentence end (abbreviations and initials are not ends)."""
    for m in _SENTENCE_END_RE.finditer(text):
        if m.group(0).startswith("."):
            # The word before the stop, read backwards from it: searching the text before every
            # stop made long paragraphs quadratic.
            start = m.start()
            while start > 0 and text[start - 1] in _WORD_CHARS:
                start -= 1
            word = text[start : m.start()]
            w = word.lower().strip(".")
            if word and (w in _ABBREVIATIONS or (len(word) == 1 and word.isupper())):
                continue
        yield m.end()


def sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for end in sentence_ends(text):
        out.append(text[start:end].strip())
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]
