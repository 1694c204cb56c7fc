"""Text clean-up: mojibake, quotes, whitespace and page furniture.

:func:`normalize_text` repairs the characters; :func:`split_furniture`
separates editorial credits, copyright notices and "Recommended Reading"
footers from the article itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["normalize_text", "split_furniture", "Furniture"]

# Controls other than tab/newline, bidi/format characters that would make a
# label display differently from what it is, soft hyphens (invisible, and they
# split names: "Bei\u00adjing"), and noncharacters, which XML cannot hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                      r"\ufeff\ufdd0-\ufdef\ufffe\uffff]")
# A single quote or prime used as an apostrophe between letters: China‘s, Xi Jinping’s.
_APOSTROPHE = re.compile(r"(?<=\w)[\u2018\u2019\u201b\u2032\u00b4`](?=\w)")
_QUOTES = tuple({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
                 "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"'}.items())
_DASHES = re.compile(r"[\u2014\u2015]{2,}")


def normalize_text(text: str) -> str:
    """Repair mojibake and normalise quotes, dashes, controls and whitespace.

    Offsets in the output graph refer to the text this returns.

    Idempotent: a repair can reveal another (mojibake twice over, or a
    control character that split a mojibake pair), so the clean-up runs
    again until the text no longer changes.

    >>> normalize_text("China\u2018s \u201cplan\u201d")
    'China\\'s "plan"'
    """
    for _ in range(3):
        cleaned = _normalize_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


# Lines ftfy leaves as they are: printable ASCII and tabs, without "&" (an
# HTML entity may follow) or "<" (ftfy stops unescaping HTML after one).
_FTFY_INERT = re.compile(r"[\t\x20-\x25\x27-\x3b\x3d-\x7e]*")


def _fix_text(text: str) -> str:
    """``ftfy.fix_text`` (quotes kept curly, NFC), on the lines that need it.

    ftfy fixes a text line by line, and leaves lines of plain printable
    ASCII as they are; only its HTML unescaping carries state from one line
    to the next (it stops after a "<"), so texts with a "<" go to it whole.
    """
    import ftfy

    if "<" in text:
        return ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    out: list[str] = []
    run: list[str] = []  # consecutive lines that need ftfy, fixed in one call
    lines = text.split("\n")
    for i, line in enumerate(lines):
        segment = line if i == len(lines) - 1 else line + "\n"
        if _FTFY_INERT.fullmatch(line):
            if run:
                out.append(ftfy.fix_text("".join(run), uncurl_quotes=False, normalization="NFC"))
                run = []
            out.append(segment)
        else:
            run.append(segment)
    if run:
        out.append(ftfy.fix_text("".join(run), uncurl_quotes=False, normalization="NFC"))
    return "".join(out)


def _normalize_once(text: str) -> str:
    text = _fix_text(text)
    text = _APOSTROPHE.sub("'", text)
    for quote, plain in _QUOTES:  # str.translate with a table is ten times slower
        if quote in text:
            text = text.replace(quote, plain)
    text = _DASHES.sub("\u2014", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


@dataclass(frozen=True)
class Furniture:
    """The result of :func:`split_furniture`."""

    text: str
    credits: tuple[tuple[str, str], ...]
    dropped: tuple[str, ...]


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[str, str]], list[re.Pattern], list[re.Pattern]]:
    raw = json.loads(resources.files("kg.data").joinpath("boilerplate.json").read_text("utf-8"))
    # Longest label first, so "responsible editor" wins over "editor".
    labels = sorted(raw["credit_labels"].items(), key=lambda kv: -len(kv[0]))
    footer = [re.compile(p, re.IGNORECASE) for p in raw["footer"]]
    drop = [re.compile(p, re.IGNORECASE) for p in raw["drop"]]
    return labels, footer, drop


@lru_cache(maxsize=1)
def _credit_pattern() -> tuple[re.Pattern, dict[str, str]]:
    labels, _, _ = _rules()
    alternatives = "|".join(re.escape(label) for label, _ in labels)
    return re.compile(rf"(?:^|\s|\|)({alternatives})\s*[:\uff1a]\s*", re.IGNORECASE), dict(labels)


def _parse_credits(line: str) -> list[tuple[str, str]] | None:
    """Parse a line made only of ``Label: Name`` credits, else ``None``.

    >>> _parse_credits("Edit:He Chuanning Responsible editor:Su Suiyue")
    [('editor', 'He Chuanning'), ('responsibleEditor', 'Su Suiyue')]
    """
    if len(line) > 200:
        return None
    pattern, roles = _credit_pattern()
    first = pattern.match(line)
    if first is None:
        return None
    matches = list(pattern.finditer(line))
    if not matches or matches[0].start() != 0:
        return None
    out = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        name = line[match.end():end].strip(" |,;")
        if not name or len(name.split()) > 6:
            return None
        role = roles[match.group(1).lower()]
        out.append((role, name))
    return out


def split_furniture(text: str) -> Furniture:
    """Separate page furniture from article text.

    Credit lines ("Edit: ... Responsible editor: ...") become ``credits``;
    a footer line ("Recommended Reading", "Special statement: ...") ends the
    article; copyright lines are dropped.
    """
    _, footer, drop = _rules()
    kept: list[str] = []
    credits: list[tuple[str, str]] = []
    dropped: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and any(p.search(stripped) for p in footer):
            dropped.extend(l for l in lines[i:] if l.strip())
            break
        parsed = _parse_credits(stripped) if stripped else None
        if parsed:
            credits.extend(parsed)
            continue
        if stripped and any(p.search(stripped) for p in drop):
            dropped.append(stripped)
            continue
        kept.append(line)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return Furniture(body, tuple(credits), tuple(dropped))
