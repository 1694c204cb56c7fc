"""Resolution on hand-made records (no spaCy)."""

from kg.gazetteer import GazEntry, Gazetteer
from kg.records import Extraction, Mention, Sentence, SourceDoc
from kg.resolve import clean_name, resolve

GAZ = Gazetteer([
    GazEntry("countries:georgia", "Country", "Georgia", ("Georgia",), qid="Q230"),
    GazEntry("people:antonio-guterres", "Person", "António Guterres", ("António Guterres", "Antonio Guterres"),
             qid="Q311440", roles=("Secretary-General",)),
])


def ex(doc_id, *mentions):
    doc = SourceDoc(id=doc_id, text="x" * 1000, source=doc_id)
    sent = (Sentence(doc_id, 0, 1000, "x" * 1000),)
    ms = tuple(Mention(doc_id, i * 10, i * 10 + len(text), text, surface, etype, text, 0, rule, gid, title)
               for i, (text, surface, etype, rule, gid, title) in enumerate(mentions))
    return Extraction(doc, sent, ms)


def m(text, etype="Person", surface=None, rule="ner", gid=None, title=None):
    return (text, surface or text, etype, rule, gid, title)


def labels(res, etype=None):
    return sorted(e.label for e in res.entities if etype is None or e.type == etype)


def test_clean_name_strips_titles_possessives_and_the():
    assert clean_name("President Xi Jinping's") == "Xi Jinping"
    assert clean_name("the United Nations") == "United Nations"
    assert clean_name("former Prime Minister Yasuo Fukuda") == "Yasuo Fukuda"
    assert clean_name("High Representative of the European Union") == "European Union"


def test_title_variants_and_short_names_fold_into_one_person():
    res = resolve([ex("d1", m("Xi Jinping", surface="President Xi Jinping", title="President"),
                      m("Xi Jinping's"), m("Xi"))], GAZ)
    assert labels(res) == ["Xi Jinping"]
    xi = res.entities[0]
    assert "President Xi Jinping" in xi.alt_labels and xi.titles == ("President",)
    assert any(mg.reason == "short name in document" for mg in res.merges)


def test_two_people_called_li_stay_apart():
    res = resolve([ex("d1", m("Li Qiang"), m("Li Keqiang"), m("Li"))], GAZ)
    # "Li" is the first word of two people: ambiguous, so not merged into either.
    assert labels(res) == ["Li", "Li Keqiang", "Li Qiang"]


def test_surname_with_fitting_title_links_to_gazetteer_person():
    res = resolve([ex("d1", m("Guterres", surface="UN Secretary-General Guterres", title="Secretary-General"))], GAZ)
    (e,) = res.entities
    assert (e.label, e.qid) == ("António Guterres", "Q311440")


def test_surname_without_title_stays_unlinked():
    res = resolve([ex("d1", m("Guterres"))], GAZ)
    assert [(e.label, e.qid) for e in res.entities] == [("Guterres", None)]


def test_type_vote_gives_one_node_per_name():
    res = resolve([ex("d1", m("Xiamen", "Place"), m("Xiamen", "Place"), m("Xiamen", "Organization"))], GAZ)
    assert [(e.label, e.type) for e in res.entities] == [("Xiamen", "Place")]


def test_acronym_joins_its_expansion_in_the_same_document():
    res = resolve([ex("d1", m("Economic Community of West African States", "Organization"), m("ECOWAS", "Organization"))], GAZ)
    assert labels(res) == ["Economic Community of West African States"]
    assert any(mg.reason == "acronym" for mg in res.merges)


def test_entities_merge_across_documents_and_keep_both_documents():
    res = resolve([ex("d1", m("Kenyatta University", "Organization")), ex("d2", m("Kenyatta University", "Organization"))], GAZ)
    (e,) = res.entities
    assert (e.doc_count, e.mention_count) == (2, 2)
    assert all(res.entity_of(x.mentions[0]) is e for x in (ex("d1", m("Kenyatta University", "Organization")),
                                                          ex("d2", m("Kenyatta University", "Organization"))))


def test_gazetteer_type_wins():
    res = resolve([ex("d1", m("Georgia", "Country", rule="gazetteer", gid="countries:georgia"))], GAZ)
    assert [(e.label, e.type, e.qid) for e in res.entities] == [("Georgia", "Country", "Q230")]
