"""CAMEO event codes: the Goldstein conflict-cooperation scale of each.

The table is GDELT's ``CAMEO.goldsteinscale.txt``, kept as
``kg/data/cameo_goldstein.tsv`` with its source and licence in its header.

>>> goldstein("057")   # Sign formal agreement
'8.0'
>>> goldstein("190")   # Use conventional military force
'-10.0'
>>> goldstein("999") is None
True
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

__all__ = ["goldstein", "goldstein_table"]


@lru_cache(maxsize=1)
def goldstein_table() -> dict[str, str]:
    """CAMEO code -> Goldstein value, as the published table writes it ("1.9", "-10.0")."""
    text = resources.files("kg.data").joinpath("cameo_goldstein.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    return {row["CAMEOEVENTCODE"]: row["GOLDSTEINSCALE"] for row in rows}


def goldstein(code: str | None) -> str | None:
    """The Goldstein value of the CAMEO code *code* (exactly that code), or ``None``."""
    return goldstein_table().get(code or "")
