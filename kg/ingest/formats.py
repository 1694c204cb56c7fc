"""Formats: the article text of a Markdown or HTML document.

Markdown is parsed with markdown-it (its syntax dropped, its first ``h1``
the title); HTML with trafilatura (the article without the page around it,
and the page's metadata), with libxml2's depth limit raised for pages nested
too deeply for it.
"""

from __future__ import annotations

import re
import sys

from ..errors import IngestError

__all__ = ["TOO_DEEP_HINT", "markdown_to_text", "html_to_text", "drop_headline"]


# -------------------------------------------------------------------- Markdown

# markdown-it drops, silently, whatever is nested deeper than its maxNesting
# (20 in CommonMark mode: the text of 20 nested block quotes, everything after
# a list 20 deep). Unbounded, Python's recursion limit stops it instead, a few
# hundred levels deep, with a RecursionError that is reported.
_MARKDOWN_OPTIONS = {"maxNesting": sys.maxsize}


def markdown_to_text(text: str) -> tuple[str, str | None]:
    """Markdown -> plain paragraphs, with markdown-it's parser (no regexes).
    Raises :class:`RecursionError` when *text* is nested too deeply for it."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", _MARKDOWN_OPTIONS).parse(text)
    blocks: list[str] = []
    title = None
    in_heading = None
    for token in tokens:
        if token.type == "heading_open":
            in_heading = token.tag
        elif token.type == "heading_close":
            in_heading = None
        elif token.type in ("inline",):
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            block = "".join(parts).strip()
            if block:
                if in_heading == "h1" and title is None:
                    title = block
                blocks.append(block)
        elif token.type in ("fence", "code_block"):
            continue
    return "\n\n".join(blocks), title


# ------------------------------------------------------------------------ HTML

# The publication date is taken from the page only (meta tags such as
# article:published_time, JSON-LD datePublished, the URL, time elements),
# never from the file's date or today's; the bounds are fixed, not "today",
# so the same page gives the same date whenever it is read.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "min_date": "1900-01-01", "max_date": "2099-12-31"}


def html_to_text(html: str, where: str) -> tuple[str, dict[str, str], str | None]:
    """The article text of an HTML page, its metadata, and what of the page
    could not be read (or ``None``)."""
    try:
        import trafilatura
    except ImportError as err:  # e.g. lxml.html.clean, a separate project since lxml 5.2
        raise IngestError(where, f"cannot read HTML: trafilatura cannot be imported ({' '.join(str(err).split())})",
                          hint="reinstall kg with its dependencies (pip install kg)") from err
    tree, limit = _deep_tree(html)
    lost = None if limit is None else f"HTML nested more than {limit:,} elements deep, more than the HTML parser (libxml2) reads"
    try:
        result = trafilatura.bare_extraction(
            html if tree is None else tree, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as err:  # trafilatura raises many kinds on broken markup
        raise IngestError(where, f"cannot parse HTML ({type(err).__name__}: {err})",
                          hint="check that the file is an HTML page") from err
    if result is None or not (result.text or "").strip():
        if lost:
            raise IngestError(where, f"{lost}; no article text above that depth", hint=TOO_DEEP_HINT)
        raise IngestError(where, "no article text found in the HTML page",
                          hint="the page may hold only scripts, styles or navigation")
    meta = {}
    for key, attr in (("title", "title"), ("date", "date"), ("author", "author"),
                      ("publisher", "sitename"), ("url", "url"), ("language", "language")):
        value = getattr(result, attr, None)
        if value:
            meta[key] = str(value)
    if "language" not in meta:
        declared = _HTML_LANG.search(html[:4096])
        if declared:
            meta["language"] = declared.group(1)
    # trafilatura gives one block per line; make them paragraphs.
    text = "\n\n".join(line for line in result.text.split("\n") if line.strip())
    return text, meta, lost and f"{lost}: the text deeper than that was not read"


TOO_DEEP_HINT = "the page's markup is broken (tags left open): save the article's text as a .txt file"


def _deep_tree(html: str):
    """``(tree, limit)``: the page parsed by lxml with libxml2's depth limit
    raised when it is nested deeper than trafilatura's parser reads (else
    ``None``), and the limit it still reaches (else ``None``).

    libxml2 stops at 256 nested elements and drops, silently, the rest of the
    page (pages of unclosed ``<div>`` or ``<font>`` tags nest that deep).
    With ``huge_tree`` it reads 2,048 levels. The check is one more parse of
    the page by libxml2: a few milliseconds, against trafilatura's hundreds.
    """
    import lxml.etree
    import lxml.html

    data = html.encode("utf-8", "surrogatepass")
    if _depth_limit(data, huge=False) is None:
        return None, None
    parser = _html_parser(huge=True)
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None, None
    return tree, _depth_limit_hit(parser)


def _html_parser(huge: bool):
    """An lxml HTML parser set as trafilatura sets its own."""
    import lxml.html

    return lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                remove_pis=True, huge_tree=huge)


def _depth_limit(data: bytes, huge: bool) -> int | None:
    """The depth limit of libxml2 that *data* reaches (``None``: none)."""
    import lxml.etree
    import lxml.html

    parser = _html_parser(huge)
    try:
        lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None
    return _depth_limit_hit(parser)


def _depth_limit_hit(parser) -> int | None:
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" and "depth" in entry.message:
            found = re.search(r"\d+", entry.message)
            return int(found.group()) if found else 0
    return None


_HTML_LANG = re.compile(r"""<html\b[^>]*?\s(?:xml:)?lang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)


def drop_headline(text: str, title: str | None) -> str:
    """The article without its first paragraph when that is the headline
    (it is the document's ``schema:headline``; as text it would be read as
    one more, undated, sentence)."""
    if not title:
        return text
    first, sep, rest = text.lstrip().partition("\n\n")
    if sep and rest.strip() and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text
