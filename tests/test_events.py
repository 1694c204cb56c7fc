"""kg.events on hand-made records (no spaCy): dates normalised against the
document's date, undated reports dated by their publication, planned events,
places, and reports of the same event in two documents made one event."""

from __future__ import annotations

from kg.events import resolve_events
from kg.gazetteer import Gazetteer
from kg.records import DateMention, EventCandidate, Extraction, Mention, Sentence, SourceDoc
from kg.resolve import resolve

GAZ = Gazetteer([])


def _doc(doc_id: str, text: str, date: str | None, events) -> Extraction:
    """One one-sentence document whose mentions are the capitalised names
    of *text* (typed by the table below) and whose event candidates are
    *events*: ``(type, trigger, agents, targets, places, date text, tense)``
    with names for the spans."""
    types = {"Ruto": "Person", "Guterres": "Person", "Mottley": "Person", "Nairobi": "Place", "Geneva": "Place"}
    mentions, spans = [], {}
    for name, etype in types.items():
        at = text.find(name)
        if at >= 0:
            spans[name] = (at, at + len(name))
            mentions.append(Mention(doc_id, at, at + len(name), name, name, etype, name, 0, "ner"))
    candidates, dates = [], []
    for etype, trigger, agents, targets, places, when, tense in events:
        found = ()
        if when:
            at = text.find(when)
            found = (DateMention(doc_id, at, at + len(when), when, 0),)
            dates.extend(found)
        candidates.append(EventCandidate(
            doc_id=doc_id, sentence=0, type=etype, trigger=trigger, trigger_start=text.find(trigger),
            phrase=trigger, rule=f"verb:{trigger}", agents=tuple(spans[a] for a in agents),
            targets=tuple(spans[t] for t in targets), places=tuple(spans[p] for p in places), dates=found,
            tense=tense))
    doc = SourceDoc(id=doc_id, text=text, source=f"{doc_id}.txt", date=date)
    return Extraction(doc, (Sentence(doc_id, 0, len(text), text),), tuple(mentions), events=tuple(candidates),
                      dates=tuple(dates), paragraphs=(0,))


def _events(*extractions):
    resolution = resolve(extractions, GAZ)
    return resolve_events(extractions, resolution, GAZ)


def _names(entities) -> set[str]:
    return {e.label for e in entities}


def test_a_date_of_the_sentence_is_read_against_the_publication_date():
    text = "Ruto met Guterres in Nairobi on May 3."
    (ev,) = _events(_doc("d1", text, "2024-06-01", [("Meeting", "met", ["Ruto"], ["Guterres"], ["Nairobi"], "May 3",
                                                      "past")]))
    # (the year is the publication's: inferred)
    assert (ev.type, ev.start, ev.datatype, ev.date_source, ev.inferred) == ("Meeting", "2024-05-03", "date",
                                                                            "sentence", True)
    assert _names(ev.agents) == {"Ruto"} and _names(ev.targets) == {"Guterres"} and ev.place.label == "Nairobi"
    assert "Ruto" in ev.label and "Guterres" in ev.label
    assert ev.evidence == (("d1", 0, len(text)),)


def test_an_undated_report_in_the_past_takes_the_publication_date():
    (ev,) = _events(_doc("d1", "Ruto met Guterres.", "2024-06-01",
                         [("Meeting", "met", ["Ruto"], ["Guterres"], [], None, "past")]))
    assert (ev.start, ev.date_source, ev.inferred) == ("2024-06-01", "publication", True)


def test_an_undated_report_without_a_publication_date_stays_undated():
    (ev,) = _events(_doc("d1", "Ruto met Guterres.", None, [("Meeting", "met", ["Ruto"], ["Guterres"], [], None, "past")]))
    assert ev.start is None and ev.date_source is None


def test_a_happening_told_as_to_come_is_planned():
    (ev,) = _events(_doc("d1", "Ruto will meet Guterres in Geneva on June 10, 2024.", "2024-06-01",
                         [("Meeting", "meet", ["Ruto"], ["Guterres"], ["Geneva"], "June 10, 2024", "future")]))
    assert ev.planned and (ev.start, ev.inferred) == ("2024-06-10", False)


def test_two_reports_of_one_meeting_are_one_event():
    one = _doc("d1", "Ruto met Guterres in Nairobi on May 3.", "2024-06-01",
               [("Meeting", "met", ["Ruto"], ["Guterres"], ["Nairobi"], "May 3", "past")])
    two = _doc("d2", "On May 3, Guterres met Ruto.", "2024-05-04",
               [("Meeting", "met", ["Guterres"], ["Ruto"], [], "May 3", "past")])
    events = _events(one, two)
    assert len(events) == 1, events
    (ev,) = events
    assert ev.start == "2024-05-03" and {d for d, *_ in ev.evidence} == {"d1", "d2"}
    assert _names(ev.agents) | _names(ev.targets) == {"Ruto", "Guterres"}


def test_different_days_or_people_stay_apart():
    a = _doc("d1", "Ruto met Guterres on May 3.", "2024-06-01",
             [("Meeting", "met", ["Ruto"], ["Guterres"], [], "May 3", "past")])
    b = _doc("d2", "Ruto met Guterres on May 9.", "2024-06-01",
             [("Meeting", "met", ["Ruto"], ["Guterres"], [], "May 9", "past")])
    c = _doc("d3", "Ruto met Mottley on May 3.", "2024-06-01",
             [("Meeting", "met", ["Ruto"], ["Mottley"], [], "May 3", "past")])
    assert sorted((e.start, tuple(sorted(_names(e.targets)))) for e in _events(a, b, c)) == [
        ("2024-05-03", ("Guterres",)), ("2024-05-03", ("Mottley",)), ("2024-05-09", ("Guterres",))]
