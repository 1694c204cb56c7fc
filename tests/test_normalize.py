from kg.normalize import normalize_text, split_furniture


def test_broken_apostrophes_are_fixed():
    assert normalize_text("China\u2018s plan and Xi Jinping\u2019s visit") == "China's plan and Xi Jinping's visit"


def test_curly_double_quotes_become_straight():
    assert normalize_text("\u201cBelt and Road\u201d initiative") == '"Belt and Road" initiative'


def test_mojibake_is_repaired():
    assert normalize_text("Caf\u00c3\u00a9 in S\u00c3\u00a3o Paulo") == "Caf\u00e9 in S\u00e3o Paulo"


def test_controls_and_bidi_marks_are_removed():
    assert normalize_text("Xi\u202e Jinping\x07 met\u200b") == "Xi Jinping met"


def test_credits_become_metadata_and_footer_is_dropped():
    text = (
        "China and Laos opened a railway.\n\n"
        "Edit:He Chuanning Responsible editor:Su Suiyue\n\n\n"
        "Special statement: if the pictures infringe your rights, contact this site.\n\n"
        "Recommended Reading Change it"
    )
    f = split_furniture(normalize_text(text))
    assert f.text == "China and Laos opened a railway."
    assert f.credits == (("editor", "He Chuanning"), ("responsibleEditor", "Su Suiyue"))
    assert any("Recommended Reading" in d for d in f.dropped)


def test_copyright_lines_are_dropped_but_text_after_them_is_kept():
    text = "Copyright 2024 Example News. All rights reserved.\n\nThe summit opened in Nairobi."
    f = split_furniture(text)
    assert f.text == "The summit opened in Nairobi."


def test_a_sentence_that_starts_with_source_is_not_a_credit():
    text = "Source: a long sentence that explains where the figures in this report came from, at length and in detail, with many words."
    assert split_furniture(text).credits == ()
