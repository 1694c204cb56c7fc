"""The spaCy components: the ruler on spacy.blank("en") (no model), the
typer on the real pipeline."""

import pytest
import spacy

from kg.gazetteer import GazEntry, Gazetteer
from kg.nlp.components import KGEntityRuler, find_title

GAZ = Gazetteer([
    GazEntry("countries:china", "Country", "China", ("China", "People's Republic of China")),
    GazEntry("countries:kenya", "Country", "Kenya", ("Kenya",)),
    GazEntry("organizations:un", "Organization", "United Nations", ("United Nations",), acronyms=("UN",)),
    GazEntry("organizations:who", "Organization", "World Health Organization", ("World Health Organization",), acronyms=("WHO",)),
    GazEntry("initiatives:gdi", "Initiative", "Global Development Initiative", ("Global Development Initiative",)),
])


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    ruler = KGEntityRuler(nlp, "kg_entity_ruler", GAZ)
    return nlp, ruler


def ents(blank, text):
    nlp, ruler = blank
    doc = ruler(nlp(text))
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


def test_gazetteer_names_are_typed_and_linked(blank):
    assert ents(blank, "Kenya and the United Nations agreed.") == [
        ("Kenya", "Country", "countries:kenya"),
        ("United Nations", "Organization", "organizations:un"),
    ]


def test_acronyms_are_case_sensitive(blank):
    assert ents(blank, "The WHO said who knows.") == [("WHO", "Organization", "organizations:who")]


def test_multiword_names_match_any_case_and_initiatives_in_plural(blank):
    assert ents(blank, "global development initiatives took root") == [
        ("global development initiatives", "Initiative", "initiatives:gdi")]


def test_head_word_names(blank):
    found = ents(blank, "She joined the Asian Infrastructure Investment Bank and the Moscow Institute of International Relations.")
    assert ("Asian Infrastructure Investment Bank", "Organization", "rule:name-pattern") in found
    assert ("Moscow Institute of International Relations", "Organization", "rule:name-pattern") in found


def test_head_word_names_do_not_swallow_a_coordination(blank):
    found = ents(blank, "It was written into documents of the United Nations and the Shanghai Cooperation Organization.")
    assert ("Shanghai Cooperation Organization", "Organization", "rule:name-pattern") in found
    assert ("United Nations", "Organization", "organizations:un") in found


def test_summit_of_an_organisation_is_an_event(blank):
    found = ents(blank, "China hosted the Qingdao Summit of the Shanghai Cooperation Organization.")
    assert found[-1][:2] == ("Qingdao Summit of the Shanghai Cooperation Organization", "Event")


def test_longest_name_wins_over_a_country_inside_it(blank):
    found = ents(blank, "It set up the China-Kenya Peace and Development Fund.")
    assert found == [("China-Kenya Peace and Development Fund", "Organization", "rule:name-pattern")]


def test_typer_drops_capitalised_common_words(nlp):
    doc = nlp("Insist on dialogue and consultation. Ideas guide actions. Arriving in Nairobi, the delegation met Kenyan officials.")
    labels = {e.text for e in doc.ents}
    assert not labels & {"Insist", "Ideas", "Arriving"}
    assert "Nairobi" in labels


def test_names_that_wordnet_lists_are_kept_when_they_act(nlp):
    """WordNet's noun index has "hamas", "taliban", "kremlin": as the subject,
    object or possessor of a clause, and never in lower case in the text,
    they are names; a capitalised kind ("the Government") is not."""
    doc = nlp("Hezbollah fired rockets on Sunday. Talks with the Afghan Taliban resumed. The Kremlin said it would "
              "respond. The Government said it would act, and the government did.")
    got = {e.text: e.label_ for e in doc.ents}
    taliban = next((k for k in got if k.endswith("Taliban")), None)
    assert got.get("Hezbollah") == got.get(taliban) == got.get("Kremlin") == "Organization", got
    assert "Government" not in got, got


def test_no_person_has_digits_in_the_name(nlp):
    doc = nlp("The Federal Reserve held rates steady. Covid-19 cases rose in Shanghai. Pope Leo XIV met Sergio Mattarella.")
    people = {e.text for e in doc.ents if e.label_ == "Person"}
    assert not {p for p in people if any(c.isdigit() for c in p)}, people


def test_a_place_name_goes_on_with_of_only(nlp):
    doc = nlp("The King hosted the envoys at the Royal Palace for the National Day parade, then at the Hall of Nations.")
    got = {e.text for e in doc.ents}
    assert "Royal Palace" in got and "Hall of Nations" in got, got


def test_a_body_after_a_title_ends_before_its_holder(nlp):
    doc = nlp("Director of the General Office of the State Council Zhou Wenbin met the delegation.")
    got = {e.text: e.label_ for e in doc.ents}
    assert got.get("Zhou Wenbin") == "Person" and got.get("General Office of the State Council") == "Organization", got


def test_a_proper_noun_after_a_title_is_a_person(nlp):
    doc = nlp("The President thanked Special Envoy Witkoff, Ambassador Kellogg and the Deputy Secretary General.")
    got = {e.text: e.label_ for e in doc.ents}
    assert got.get("Kellogg") == "Person" and any(t == "Person" and e.endswith("Witkoff") for e, t in got.items()), got
    assert "General" not in got, got


def test_a_gathering_named_by_a_quoted_title_is_an_event(nlp):
    doc = nlp("Lawrence Wong spoke at the high-level forum on “Digital Trade and Inclusive Growth” in Singapore.")
    got = {e.text: e.label_ for e in doc.ents}
    assert got.get("high-level forum on “Digital Trade and Inclusive Growth”") == "Event", got


def test_names_cut_at_commas_and_family_names_written_first(nlp):
    doc = nlp("Chinese Premier Li Qiang met the delegation. At the invitation of Li, Foreign Ministry spokesperson "
              "Mao Ning said the talks went well.")
    got = [(e.text, e.label_) for e in doc.ents]
    assert ("Li", "Person") in got and not any("," in text for text, _ in got), got


def test_typer_maps_labels_and_splits_countries_from_places(nlp):
    doc = nlp("President William Ruto of Kenya flew from Nairobi to Mombasa.")
    got = {e.text: e.label_ for e in doc.ents}
    assert got["William Ruto"] == "Person"
    assert got["Kenya"] == "Country"
    assert got["Nairobi"] == "Place"


def test_apposition_makes_a_person(nlp):
    doc = nlp("Bokova, the former Director-General of UNESCO, praised the plan.")
    assert ("Bokova", "Person") in [(e.text, e.label_) for e in doc.ents]


def test_titles_are_found_before_names(nlp):
    doc = nlp("Former Japanese Prime Minister Yasuo Fukuda spoke. UN Secretary-General Antonio Guterres replied.")
    people = [e for e in doc.ents if e.label_ == "Person"]
    titles = {e.text: find_title(doc, e.start) for e in people}
    assert titles["Yasuo Fukuda"][1] == "former Prime Minister"
    assert doc[titles["Yasuo Fukuda"][0]].text == "Former"
    assert titles["Antonio Guterres"][1] == "Secretary-General"
