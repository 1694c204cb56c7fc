"""Tests for kg/gazetteer.py: the loader, lookup, optional columns."""

from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.gazetteer import load_gazetteer


def _extra(tmp_path, text: str) -> str:
    path = tmp_path / "extra.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_optional_place_columns_parsed(tmp_path):
    path = _extra(tmp_path, "label,type,aliases,qid,geonames_id,lat,lon,needs_evidence\n"
                            "Zorbville,Place,,,1234567,12.5,-45.25,1\n"
                            "Quuxton,Place,,,,,,\n"
                            "Blarford,Place,,,,,,TRUE\n")
    gaz = load_gazetteer((path,))
    zorb = gaz.lookup("Zorbville", "Place")
    assert zorb is not None
    assert zorb.geonames == "1234567"
    assert zorb.coords == (12.5, -45.25)
    assert zorb.needs_evidence is True
    quux = gaz.lookup("Quuxton", "Place")
    assert quux is not None
    assert (quux.geonames, quux.coords, quux.needs_evidence) == (None, None, False)
    assert gaz.lookup("Blarford", "Place").needs_evidence is True


def test_bundled_entries_default_to_no_geo(tmp_path):
    china = load_gazetteer().lookup("China", "Country")
    assert china is not None and china.coords is None and china.needs_evidence is False


@pytest.mark.parametrize("lat,lon", [("north", "1"), ("91", "0"), ("10", "")])
def test_bad_coordinates_are_an_error(tmp_path, lat, lon):
    path = _extra(tmp_path, f"label,type,lat,lon\nZorbville,Place,{lat},{lon}\n")
    with pytest.raises(KGError):
        load_gazetteer((path,))
