"""kg.ingest.decoding: the bytes of a file -> text."""

import codecs

import pytest

from kg.errors import IngestError
from kg.ingest import read_document
from kg.ingest.decoding import binary_kind, decode_bytes, declared_charset

from ingest_texts import ARTICLE


@pytest.mark.parametrize("data, text", [
    (codecs.BOM_UTF8 + "Café".encode("utf-8"), "Café"),
    (codecs.BOM_UTF16_BE + "Café".encode("utf-16-be"), "Café"),
    (codecs.BOM_UTF32_LE + "Café".encode("utf-32-le"), "Café"),
    ("Café".encode("utf-8"), "Café"),
    ("Café \u201cok\u201d".encode("cp1252"), "Café \u201cok\u201d"),
    ("ASCII read as UTF-16".encode("utf-16-le"), "ASCII read as UTF-16"),
])
def test_decode_bytes(data, text):
    assert decode_bytes(data, "a.txt") == text


def test_the_declared_charset_is_used_when_utf8_fails():
    assert decode_bytes("Путин".encode("cp1251"), "a.html", declared="cp1251") == "Путин"
    assert decode_bytes("Путин".encode("utf-8"), "a.html", declared="cp1251") == "Путин"


@pytest.mark.parametrize("head, charset", [
    (b'<meta charset="windows-1251">', "cp1251"),
    (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>", "cp1252"),
    (b'<meta charset="no-such-charset">', None),
    (b"<p>no meta</p>", None),
])
def test_declared_charset(head, charset):
    assert declared_charset(b"<html><head>" + head + b"</head></html>") == charset


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n", "a PDF file"),
    (b"PK\x03\x04rest", "a ZIP archive (or DOCX/XLSX)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"plain text\n", None),
    (b"", None),
    ("ASCII read as UTF-16".encode("utf-16-le"), None),
])
def test_binary_kind(data, kind):
    assert binary_kind(data) == kind


def test_empty_and_binary_data_are_errors():
    with pytest.raises(IngestError, match="empty file"):
        decode_bytes(b" \n", "a.txt")
    with pytest.raises(IngestError, match=r"binary file \(a PDF file\)"):
        decode_bytes(b"%PDF-1.7\n", "a.txt")


# ----------------------------------------------------- through read_document

def test_latin1_and_cp1252_are_decoded(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Le président de la Côte d'Ivoire a visité Paris.".encode("latin-1"))
    assert "président de la Côte" in read_document(p).text
    q = tmp_path / "cp1252.txt"
    q.write_bytes("The minister said \u201cpeace\u201d \u2013 twice.".encode("cp1252"))
    assert read_document(q).text == 'The minister said "peace" \u2013 twice.'


def test_utf16_with_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    assert read_document(p).text == ARTICLE


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\t  \n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
    (b"abc\x00\x00\x00def\x00\x00" * 50, "NUL"),
])
def test_unreadable_files_raise_ingest_error(tmp_path, data, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(IngestError) as err:
        read_document(p)
    assert reason in str(err.value) and str(p) in str(err.value)


def test_invalid_utf8_bytes_in_a_utf8_file(tmp_path):
    p = tmp_path / "mixed.txt"
    p.write_bytes("São Paulo and Luanda signed a “deal”.".encode("utf-8") + b" The minister said \x93yes\x94 \xff.")
    text = read_document(p).text
    assert text.startswith('São Paulo and Luanda signed a "deal".') and 'said "yes"' in text


def test_cp1252_with_undefined_bytes(tmp_path):
    p = tmp_path / "cp.txt"
    p.write_bytes("Le président a dit \u201cnon\u201d \u2013 20 \u20ac.".encode("cp1252") + b"\x81")
    assert read_document(p).text == 'Le président a dit "non" \u2013 20 \u20ac.'


def test_utf16_without_bom(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(ARTICLE.encode("utf-16-le"))
    assert read_document(p).text == ARTICLE


def test_control_bytes_are_binary(tmp_path):
    p = tmp_path / "ctl.txt"
    p.write_bytes(bytes(range(1, 9)) * 200)
    with pytest.raises(IngestError, match="control bytes"):
        read_document(p)
