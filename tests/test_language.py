"""kg.ingest.language: which language a text is written in."""

import pytest

from kg.ingest.language import Detection, detect, foreign_language, normalize_code

from ingest_texts import LONG_DE, LONG_EN


@pytest.mark.parametrize("value, code", [
    ("en-US", "en"), ("pt_BR", "pt"), (" DE ", "de"), ("zh-Hant-TW", "zh"), ("English", None), ("", None), (None, None),
])
def test_normalize_code(value, code):
    assert normalize_code(value) == code


def test_short_texts_and_lists_of_names_are_not_judged():
    assert detect("Scholz besuchte Peking.") == Detection(None, 0.0)
    assert detect("United States\nGermany\nSouth Africa\nCôte d'Ivoire\n" * 10).language is None


def test_foreign_language():
    assert foreign_language(LONG_DE, "en") == "de"
    assert foreign_language(LONG_EN, "en") is None
    assert foreign_language("Kurz gesagt.", "en") is None  # too short to tell: kept


def test_plain_english_is_recognised_without_the_model(monkeypatch):
    import kg.ingest.language as language

    def no_model():
        raise AssertionError("the model was consulted")

    monkeypatch.setattr(language, "_identifier", no_model)
    assert language.detect(LONG_EN).language == "en"
    with pytest.raises(AssertionError, match="consulted"):
        language.detect(LONG_DE)


@pytest.mark.parametrize("text", [
    "De minister van Buitenlandse Zaken had gisteren een ontmoeting met zijn Duitse collega in Berlijn. Zij "
    "spraken over de oorlog in Oekraïne en de gevolgen voor de energieprijzen in Europa, zei hij na afloop.",
    "Le président de la République a reçu mardi son homologue brésilien à l'Élysée. Les deux chefs d'État ont "
    "discuté du climat, de la forêt amazonienne et de la guerre en Ukraine, a déclaré le président.",
    "Presiden Joko Widodo bertemu dengan Perdana Menteri Jepang di Jakarta pada hari Selasa. Kedua pemimpin "
    "membahas kerja sama ekonomi, investasi, dan keamanan maritim di kawasan Indo-Pasifik, kata presiden.",
])
def test_other_languages_still_go_to_the_model(text):
    assert detect(text).language not in (None, "en")
