"""Decoding: the bytes of a file -> text.

:func:`decode_bytes` honours a BOM, reads UTF-8 (with stray Windows-1252
bytes), the charset an HTML page declares, else Windows-1252;
:func:`binary_kind` refuses what is not text.
"""

from __future__ import annotations

import codecs
import re

from ..errors import IngestError

__all__ = ["binary_kind", "decode_bytes", "decode_legacy", "declared_charset"]


_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Bytes that never occur in text (controls other than tab, newlines, form feed, escape).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"


def binary_kind(data: bytes) -> str | None:
    """What binary data *data* (the start of a file) looks like, or ``None``
    when it may be text."""
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return what
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    sample = data[:65536]
    if not sample:
        return None
    if _utf16_without_bom(sample):
        return None
    if sample.count(b"\x00") > max(1, len(sample) // 100):
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 20):
        return "contains control bytes"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when *sample* is ASCII-range UTF-16 with no BOM
    (every other byte NUL), else ``None``."""
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    even, odd = sample[0:2 * half:2].count(0), sample[1:2 * half:2].count(0)
    if odd >= 0.9 * half and even < 0.1 * half:
        return "utf-16-le"
    if even >= 0.9 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, where: str, *, declared: str | None = None) -> str:
    """Decode file bytes into text.

    A BOM decides; else UTF-8 (a few invalid bytes in a UTF-8 file are
    read as Windows-1252, as a mixed-up file usually holds); else the
    charset the HTML page declares (*declared*); else Windows-1252
    (which covers Latin-1's printable range: what mislabelled Western pages
    use). Raises :class:`IngestError` for empty and binary data.
    """
    if not data.strip():
        raise IngestError(where, "empty file", hint="nothing to read")
    what = binary_kind(data)
    if what:
        raise IngestError(where, f"binary file ({what})", hint="give kg text, Markdown or HTML")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise IngestError(where, f"invalid {codec} at byte {err.start}", hint="re-save the file as UTF-8") from err
    wide = _utf16_without_bom(data[:65536])
    if wide:
        try:
            return data.decode(wide)
        except UnicodeDecodeError as err:
            raise IngestError(where, f"invalid {wide} at byte {err.start}", hint="re-save the file as UTF-8") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_legacy(data)


# Windows-1252, with its five unassigned bytes read as Latin-1 (C1 controls,
# removed by normalisation) so that decoding never fails.
_CP1252 = "".join(bytes([b]).decode("cp1252", "strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
                  for b in range(256))


def decode_legacy(data: bytes) -> str:
    """Bytes that are not valid UTF-8: mostly UTF-8 with a few stray bytes
    (each read as Windows-1252), or a Windows-1252/Latin-1 file.

    >>> decode_legacy("Caf\\u00e9 \\u201cs\\u00fcr\\u201d".encode("cp1252"))
    'Café “sür”'
    >>> decode_legacy("S\\u00e3o Paulo".encode("utf-8") + b" \\x93ok\\x94")
    'São Paulo “ok”'
    """
    stray = 0

    def as_cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
        nonlocal stray
        stray += err.end - err.start
        return "".join(_CP1252[b] for b in err.object[err.start:err.end]), err.end

    mixed = _decode_with(data, as_cp1252)
    wide = sum(1 for ch in mixed if ord(ch) > 0x7F) - stray  # characters UTF-8 decoded
    # Valid UTF-8 sequences are rare by chance in Windows-1252 text; when in
    # doubt read it all as Windows-1252: ftfy repairs the UTF-8 parts later.
    if wide * 4 >= stray:
        return mixed
    return data.decode("latin-1").translate(_CP1252_TABLE)


_CP1252_TABLE = {b: ch for b, ch in enumerate(_CP1252) if chr(b) != ch}


def _decode_with(data: bytes, handler) -> str:
    """UTF-8 with *handler* for invalid bytes (without a global registration)."""
    parts: list[str] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            return "".join(parts)
        except UnicodeDecodeError as err:
            parts.append(data[pos:pos + err.start].decode("utf-8"))
            shifted = UnicodeDecodeError(err.encoding, data, pos + err.start, pos + err.end, err.reason)
            text, end = handler(shifted)
            parts.append(text)
            pos = end


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# What browsers read these labels as (the WHATWG Encoding Standard).
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932",
                    "x-sjis": "cp932", "euc-kr": "cp949", "iso-8859-9": "cp1254", "tis-620": "cp874"}


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` in its first 4 KiB."""
    match = _CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
