from kg.ingest.normalize import normalize_text, split_furniture


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


def test_soft_hyphens_and_noncharacters_are_removed():
    assert normalize_text("Bei\u00adjing\ufffe met\uffff \ufdd0Seoul") == "Beijing met Seoul"


def test_lone_surrogates_become_replacement_characters():
    assert normalize_text("Xi\ud800 Jinping") == "Xi\ufffd Jinping"


def test_a_long_paragraph_ending_in_all_rights_reserved_is_kept():
    paragraph = ("The ministers agreed that every people has the right to choose its own path of development, " * 3
                 + "and that these are rights reserved to all. All rights reserved.")
    assert split_furniture(paragraph).text == paragraph
    assert split_furniture("Some text.\n\n2023 Example News Ltd. All rights reserved.").text == "Some text."


def test_furniture_is_fast_on_a_long_line():
    import time

    line = "peace and development " * 50_000  # 1.1 MB, one line
    started = time.perf_counter()
    split_furniture(line)
    assert time.perf_counter() - started < 1.0


def test_normalize_is_idempotent_when_one_repair_reveals_another():
    # Found by Hypothesis: the C1 control \x95 becomes "•", which makes "Â•"
    # mojibake of "•" for a second pass.
    once = normalize_text("\u00ab\u00c2\x95")
    assert normalize_text(once) == once == '"\u2022'


def test_ftfy_runs_only_on_the_lines_that_need_it_with_the_same_result():
    """kg skips ftfy on plain ASCII lines; the result is ftfy's own, whatever the mix."""
    import random

    import ftfy

    from kg.ingest.normalize import _fix_text

    pieces = ["Xi Jinping met Biden.", "Caf\u00c3\u00a9", "&amp; co", "a < b", "\u201cquoted\u201d", "\r", "\x1b[31m",
              "\x85", "\u2028", "\t", "", "S\u00c3\u00a3o Paulo", "&lt;b&gt;", "\x07", "\ufb01ne", "\uff21", "\ud800",
              "\u00c2\u00a0", "plain text", "\x00", "&", "<", "e\u0301"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces + ["\n"] * 6) for _ in range(rng.randint(0, 14)))
        assert _fix_text(text) == ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC"), repr(text)
