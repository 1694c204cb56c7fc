"""kg.nlp.facts: relations that noun phrases state (positions, places,
membership, names inside names), on short sentences of our own, each parsed
once with the real pipeline."""

from __future__ import annotations

import pytest

from kg.nlp.positions import position_predicate
from kg.nlp.rules import relation_rules
from kg.records import SourceDoc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def facts(nlp):
    """text -> set of (subject text, predicate, object text) the extraction finds."""
    from kg.nlp.extract import extract_doc

    cache = {}

    def run(text: str) -> set[tuple[str, str, str]]:
        if text not in cache:
            ex = extract_doc(SourceDoc(id="t", text=text, source="test", date="2024-05-01"), nlp)
            spans = {(m.start, m.end): m.text for m in ex.mentions}
            cache[text] = {(spans.get(r.subject), r.predicate, spans.get(r.object)) for r in ex.relations}
        return cache[text]

    return run


@pytest.mark.parametrize("title, other, expected", [
    ("President", "Country", "headOfState"),
    ("Prime Minister", "Country", "headOfGovernment"),
    ("former Prime Minister", "Country", "headOfGovernment"),
    ("Foreign Minister", "Country", "foreignMinisterOf"),
    ("Defence Minister", "Country", "ministerOf"),
    ("Deputy Prime Minister", "Country", "officialOf"),
    ("Vice President", "Country", "viceHeadOfState"),
    ("Secretary-General", "Organization", "headOf"),
    ("President", "Organization", "headOf"),
    ("Ambassador", "Country", "ambassadorTo"),
    ("National Security Advisor", "Country", "officialOf"),
])
def test_position_predicate_by_title(title, other, expected):
    assert position_predicate(title, other, relation_rules()["positions"]) == expected


def test_every_position_predicate_is_declared():
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    from kg.ns import KGO
    from kg.validate import ontology_text

    onto = Graph().parse(data=ontology_text("kg.ttl"), format="turtle")
    declared = {str(p)[len(str(KGO)):] for p in onto.subjects(RDF.type, OWL.ObjectProperty)}
    rules = relation_rules()
    used = {v["relation"] for v in rules["verbs"].values()} | {v["relation"] for v in rules["nouns"].values()}
    used |= {p for spec in rules["positions"].values() if isinstance(spec, dict) for p in spec.values()}
    used |= {p for v in rules["verbs"].values() for p in (v.get("relation_if_object_types") or {}).values()}
    assert used <= declared, used - declared


def test_title_with_a_demonym_a_possessive_or_of(facts):
    found = facts("German Chancellor Olaf Scholz spoke with Kenya's President William Ruto "
                  "and with President Gabriel Boric of Chile.")
    assert ("Olaf Scholz", "headOfGovernment", "German") in found
    assert ("William Ruto", "headOfState", "Kenya") in found
    assert ("Gabriel Boric", "headOfState", "Chile") in found


def test_appositions_give_positions(facts):
    found = facts("Ngozi Okonjo-Iweala, the Director-General of the World Trade Organization, arrived. "
                  "Penny Wong, Australia's Foreign Minister, spoke.")
    assert ("Ngozi Okonjo-Iweala", "headOf", "World Trade Organization") in found
    assert ("Penny Wong", "foreignMinisterOf", "Australia") in found


def test_a_role_of_a_body_written_before_the_name(facts):
    found = facts("The envoy met with Secretary General of the Organization of American States Luis Almagro "
                  "and with Chairman of the Labour Party Keir Starmer.")
    assert ("Luis Almagro", "headOf", "Organization of American States") in found
    assert ("Keir Starmer", "headOf", "Labour Party") in found
    # the members' kind inside a name is not where the body sits
    assert not {f for f in found if f[1] == "headquarteredIn"}


def test_a_role_spelt_out_in_an_apposition(facts):
    found = facts("Maria Santos, the former head of research and planning of the African Development Bank, said so.")
    assert ("Maria Santos", "formerlyHeld", "African Development Bank") in found


def test_city_country_and_capital_of(facts):
    found = facts("The talks were held in Mombasa, Kenya. Nairobi, the capital of Kenya, was quiet.")
    assert ("Mombasa", "locatedIn", "Kenya") in found
    assert ("Nairobi", "capitalOf", "Kenya") in found


def test_a_list_of_places_is_not_city_country(facts):
    found = facts("Ministers travelled to Paris, London, and Berlin.")
    assert not {f for f in found if f[1] == "locatedIn"}


def test_place_apposition_with_a_kind_of_place(facts):
    found = facts("Aid reached Gaziantep Province, the worst hit region in Turkey.")
    assert {("Gaziantep Province", "locatedIn", "Turkey"), ("Gaziantep", "locatedIn", "Turkey")} & found


def test_members_listed_after_the_body(facts):
    found = facts("NATO members Poland, Romania and Estonia asked for more troops.")
    for country in ("Poland", "Romania", "Estonia"):
        assert (country, "memberOf", "NATO") in found


def test_member_apposition(facts):
    found = facts("Chile, a member of the Pacific Alliance, hosted the meeting.")
    assert ("Chile", "memberOf", "Pacific Alliance") in found


def test_countries_inside_a_name(facts):
    found = facts("The Japan-Philippines Reciprocal Access Agreement was signed in Manila.")
    assert {("Japan", "partyTo"), ("Philippines", "partyTo")} <= {(s, p) for s, p, _ in found}


def test_a_sea_is_not_in_the_country_it_names(facts):
    found = facts("Ships sailed through the South China Sea.")
    assert not {f for f in found if f[1] == "locatedIn"}


def test_between_relates_each_pair(facts):
    found = facts("Trade between Vietnam, Laos and Cambodia grew last year.")
    assert {("Vietnam", "Laos"), ("Vietnam", "Cambodia"), ("Laos", "Cambodia")} <= {(s, o) for s, p, o in found
                                                                                     if p == "cooperatesWith"}


def test_country_led_compounds(facts):
    found = facts("The Saudi-backed Yemeni Government welcomed the talks.")
    assert any(p == "supports" and s == "Saudi" for s, p, _ in found)


def test_a_relative_clause_gives_a_position(facts):
    found = facts("Yoko Kamikawa, who is Japan's foreign minister, arrived in Seoul.")
    assert ("Yoko Kamikawa", "foreignMinisterOf", "Japan") in found


def test_wanting_to_join_is_seeking_membership(facts):
    assert ("Indonesia", "seeksMembershipIn", "BRICS") in facts("Indonesia wants to join BRICS.")
    assert ("Finland", "joined", "NATO") in facts("Finland joined NATO in April 2023.")


def test_the_parties_of_an_agreement(facts):
    found = facts("Fiji signed an Economic Partnership Agreement with the European Union.")
    assert ("European Union", "partyTo", "Economic Partnership Agreement") in found


def test_a_demonym_before_the_state_acting_names_the_country(nlp):
    from kg.nlp.extract import extract_doc

    text = "We call on the Belarusian authorities to stop. The Iranian regime's support continued."
    ex = extract_doc(SourceDoc(id="t", text=text, source="test", date="2024-05-01"), nlp)
    assert {(m.text, m.type) for m in ex.mentions} >= {("Belarusian", "Country"), ("Iranian", "Country")}


def test_a_quoted_agreement_name_keeps_its_parties(facts):
    found = facts("As the flagship project of the joint construction of the “Belt and Road” between China and Laos, "
                  "the railway grew.")
    assert {("China", "partyTo", "Belt and Road"), ("Laos", "partyTo", "Belt and Road")} <= found, found


def test_a_titled_surname_takes_the_gazetteer_office_holders_country(nlp):
    from kg.nlp.extract import extract_doc

    text = "Ukraine and the United States will keep working together, thanks to Secretary of State Blinken."
    ex = extract_doc(SourceDoc(id="t", text=text, source="test", date="2023-05-01"), nlp)
    spans = {(m.start, m.end): m.text for m in ex.mentions}
    found = {(spans.get(r.subject), r.predicate, spans.get(r.object)) for r in ex.relations}
    assert ("Blinken", "officialOf", "United States") in found or ("Blinken", "foreignMinisterOf", "United States") in found, found


def test_possessive_holders_places_and_participation(facts):
    found = facts("Promoting cooperation through Brazil's participation in U.S. Southern Command's annual "
                  "Tradewinds exercise. The rocket will launch from the Alcantara Launch Center on Brazil's "
                  "northern coast.")
    assert ("Brazil", "attended", "Tradewinds exercise") in found, found
    assert ("Tradewinds exercise", "organizedBy", "U.S. Southern Command") in found, found
    assert ("Alcantara Launch Center", "locatedIn", "Brazil") in found, found


def test_a_body_deployed_in_a_place(facts):
    found = facts("NATO missions and operations in the Balkans and Iraq go on. Russian forces in Ukraine "
                  "shelled the city. The company's operations in Kenya grew.")
    assert {("NATO", "deployedTo", "Balkans"), ("NATO", "deployedTo", "Iraq"),
            ("Russian", "deployedTo", "Ukraine")} <= found, found
    assert not {f for f in found if f[2] == "Kenya"}, found


def test_the_next_items_title_is_not_an_apposition(facts):
    found = facts("The meeting included Minister for Strategic Affairs Ron Dermer, and Chairman of the "
                  "National Unity Party Benny Gantz.")
    assert not {f for f in found if f[0] == "Ron Dermer" and f[2] == "National Unity Party"}, found


def test_the_subject_of_an_infinitive_is_the_verbs_object(facts):
    found = facts("Kenya and Ghana welcomed the next Africa Climate Summit to be held in Nairobi.")
    assert ("Kenya", "supports", "Africa Climate Summit") in found, found


def test_list_items_take_the_subject_of_their_lead(facts):
    """Fact-sheet items told without a subject take the subject of the
    sentence their list hangs from; an item's own "Heading:" is no lead."""
    text = ("The Government of Canada will:\n\n"
            "- Open a Trade Office: The office will serve exporters.\n\n"
            "- Continuing to lead the Combined Maritime Forces in Bahrain.\n\n"
            "- Join the Global Methane Pledge.\n\n"
            "Officials said more would follow.\n\n"
            "- Joining the Clean Energy Ministerial.")
    found = facts(text)
    assert ("Canada", "leads", "Combined Maritime Forces") in found, found
    assert ("Canada", "joined", "Global Methane Pledge") in found, found
    assert not {f for f in found if f[2] == "Clean Energy Ministerial"}, found  # past a sentence of prose


def test_reciprocal_verbs_coordinated_roles_and_facilities(facts):
    found = facts("During the floods, Kenya and Africa helped each other. Peru and Chile met with each other in Lima. "
                  "Ana Torres, the former Secretary-General of the Andean Community and the former Representative "
                  "of the European Union to Chile, spoke. The train left Nairobi Central Station of the Kenya Railways "
                  "Corporation.")
    assert ("Kenya", "cooperatesWith", "Africa") in found, found
    assert ("Peru", "metWith", "Chile") in found, found
    assert {("Ana Torres", "formerlyHeld", "Andean Community"), ("Ana Torres", "formerlyHeld", "European Union")} <= found, found
    assert ("Nairobi Central Station", "operatedBy", "Kenya Railways Corporation") in found, found


def test_reported_speech_is_a_quotation_of_its_speaker(nlp):
    from kg.nlp.extract import extract_doc

    text = ("Kenyan President William Ruto noted that Kenya and Ethiopia will expand trade across the Horn of Africa. "
            'He said: "We will build the road together with all our neighbours."')
    ex = extract_doc(SourceDoc(id="t", text=text, source="test", date="2024-05-01"), nlp)
    reported = [q for q in ex.quotations if q.rule == "reported"]
    assert [q.text for q in reported] == ["Kenya and Ethiopia will expand trade across the Horn of Africa"]
    assert ex.doc.text[slice(*reported[0].speaker)] == "William Ruto"
    assert len(ex.quotations) == 2  # the quoted statement is not reported twice


def test_the_thing_of_an_entity_as_a_generic_subject(facts):
    assert ("NATO", "relatedTo", "Russia") in facts("The expansion of NATO has alarmed Russia.")


def test_a_government_named_after_its_leader(facts):
    found = facts("Prime Minister Fumio Kishida spoke on Monday. The Kishida Government will expand aid.")
    assert ("Fumio Kishida", "leaderOf", "Kishida Government") in found, found


def test_accessions_and_infrastructure_places(facts):
    found = facts("The ministers supported Moldova's EU accession process. The accession of Sweden to NATO was "
                  "completed. The Maputo Corridor in the border regions in Mozambique was delayed.")
    assert ("Moldova", "seeksMembershipIn", "EU") in found, found
    assert ("Sweden", "seeksMembershipIn", "NATO") in found, found
    assert ("Maputo Corridor", "locatedIn", "Mozambique") in found, found


def test_in_partnership_with_and_shared_doses(facts):
    found = facts("Kenya, in coordination with Ethiopia and the African Union, deployed troops. "
                  "Japan has shared over 40 million vaccine doses with 20 countries in Africa. "
                  "Ghana will coordinate with Togo on border security.")
    assert {("Kenya", "cooperatesWith", "Ethiopia"), ("Kenya", "cooperatesWith", "African Union")} <= found, found
    assert not {f for f in found if f[1] == "deployedTo"}, found  # a partner is not where troops went
    assert ("Japan", "providedAidTo", "Africa") in found, found
    assert ("Ghana", "cooperatesWith", "Togo") in found, found


def test_a_counterpart_holds_the_same_office_for_another_country(facts):
    found = facts("Indian Foreign Minister Subrahmanyam Jaishankar held talks with his Egyptian counterpart "
                  "Sameh Shoukry in Cairo. Prime Minister Fumio Kishida met Olaf Scholz, his German counterpart, "
                  "in Tokyo. Dr. Amina Yusuf met her counterpart.")
    assert ("Sameh Shoukry", "foreignMinisterOf", "Egyptian") in found, found
    assert ("Olaf Scholz", "headOfGovernment", "German") in found, found


def test_noun_headed_attacks_and_loans(facts):
    found = facts("Turkish drone strikes on Qamishli killed five fighters. Syrian airstrikes killed at least "
                  "12 civilians in Idlib on Tuesday. The Asian Development Bank approved a $300 million loan "
                  "to Sri Lanka. Inflation hit Ghana hard. Canada imposed sanctions on Belarus over its "
                  "arms shipments to Sudan. Hezbollah fired rockets at Haifa. The club fired its coach. "
                  "Iran launched 300 drones and missiles at Israel overnight.")
    assert ("Turkish", "attacked", "Qamishli") in found, found
    assert {f for f in found if f[1] == "attacked" and f[2] == "Haifa"}, found
    assert ("Iran", "attacked", "Israel") in found, found
    assert ("Syrian", "attacked", "Idlib") in found, found
    assert ("Asian Development Bank", "providedAidTo", "Sri Lanka") in found, found
    assert not {f for f in found if f[2] == "Ghana"}, found  # inflation attacks no one
    assert not {f for f in facts("The Ethiopia-Eritrea conflict killed tens of thousands in Badme.")
                if f[1] == "attacked"}  # a country inside the subject's name is no attacker
    assert ("Canada", "sanctioned", "Belarus") in found, found


def test_phone_talks_are_calls_and_a_possessor_is_no_signed_thing(facts):
    found = facts("President Cyril Ramaphosa held phone talks with President Bola Tinubu on Friday. "
                  "Hungary's parliament ratified Finland's NATO membership.")
    assert ("Cyril Ramaphosa", "spokeWith", "Bola Tinubu") in found, found
    assert ("Cyril Ramaphosa", "metWith", "Bola Tinubu") not in found, found
    assert not {f for f in found if f[1] == "signed"}, found


def test_lower_case_roles_between_a_body_and_a_name_and_accusations(facts):
    found = facts("Kremlin spokesman Dmitry Peskov told reporters on Monday. Ghana accused Togo of hosting "
                  "rebels. The World Bank reached an agreement with Zambia on debt relief.")
    assert ("Dmitry Peskov", "officialOf", "Kremlin") in found, found
    assert ("Ghana", "criticized", "Togo") in found, found
    assert ("World Bank", "agreedWith", "Zambia") in found, found


def test_people_on_a_visit_and_surnames_the_ner_mistyped(nlp):
    from kg.nlp.extract import extract_doc

    text = ("President Cyril Ramaphosa met Prime Minister Mark Carney, who is on a working visit to South Africa. "
            "President Gustavo Petro, on an official visit to Spain, met King Felipe VI. Carney said the talks "
            "went well.")
    ex = extract_doc(SourceDoc(id="t", text=text, source="test", date="2025-11-20"), nlp)
    spans = {(m.start, m.end): m.text for m in ex.mentions}
    found = {(spans.get(r.subject), r.predicate, spans.get(r.object)) for r in ex.relations}
    assert ("Mark Carney", "visited", "South Africa") in found, found
    assert ("Gustavo Petro", "visited", "Spain") in found, found
    assert not {f for f in found if f[0] == "Gustavo Petro" and f[1] == "officialOf"}, found
    assert {m.type for m in ex.mentions if m.text == "Carney"} <= {"Person"}


def test_calls_on_departures_and_landings(facts):
    found = facts("President Bola Tinubu called on ECOWAS to reconsider. Prime Minister Anthony Albanese left for "
                  "Jakarta on Sunday. President Javier Milei landed in Madrid on Friday. The summit called for calm.")
    assert ("Bola Tinubu", "urged", "ECOWAS") in found, found
    assert ("Anthony Albanese", "visited", "Jakarta") in found, found
    assert ("Javier Milei", "visited", "Madrid") in found, found


def test_forces_stationed_somewhere(facts):
    found = facts("Greece agreed to raise the number of French frigates stationed in Crete from two to four. "
                  "British jets based in Cyprus flew over the sea.")
    assert ("French", "deployedTo", "Crete") in found, found
    assert ("British", "deployedTo", "Cyprus") in found, found


def test_relative_pronoun_objects_and_operations_the_parser_hangs_on_the_verb(facts):
    found = facts("The ministers praised the Lobito Corridor, which the European Union launched in 2023. "
                  "The envoy discussed Turkish operations in Syria and reconstruction plans.")
    assert ("European Union", "launched", "Lobito Corridor") in found, found
    assert ("Turkish", "deployedTo", "Syria") in found, found


def test_a_group_of_friends_supports_what_it_names(facts):
    found = facts("Thirty states have joined the Group of Friends of the Belt and Road Initiative.")
    assert ("Group of Friends of the Belt and Road Initiative", "supports", "Belt and Road Initiative") in found, found


def test_what_is_made_for_a_purpose_does_it_and_troops_sent_are_deployed(facts):
    found = facts("Japan set up a Pacific Resilience Fund to help island states in implementing the Paris Agreement. "
                  "Rwanda has sent 2,000 troops to Mozambique.")
    assert ("Pacific Resilience Fund", "supports", "Paris Agreement") in found, found
    assert ("Rwanda", "deployedTo", "Mozambique") in found, found
    assert ("Rwanda", "providedAidTo", "Mozambique") not in found, found


def test_offices_taken(facts):
    found = facts("Bassirou Diomaye Faye was sworn in as president of Senegal on Tuesday. Petteri Orpo became "
                  "prime minister of Finland in June. The prime minister appointed Yvette Cooper as Britain's foreign "
                  "secretary. He became a member of the club.")
    assert ("Bassirou Diomaye Faye", "headOfState", "Senegal") in found, found
    assert ("Petteri Orpo", "headOfGovernment", "Finland") in found, found
    assert {f for f in found if f[0] == "Yvette Cooper" and f[2] == "Britain"}, found


def test_a_state_s_initiative_is_led_by_it(facts):
    found = facts("Kenya praised India's Gati Shakti Initiative. Russia's war against Ukraine continues.")
    assert ("India", "leads", "Gati Shakti Initiative") in found, found
    assert not {f for f in found if f[1] == "leads" and f[0] == "Russia"}, found


def test_it_is_the_state_that_says_it(facts):
    found = facts("Turkey's defence ministry said it struck Kurdish militant targets in northern Iraq. "
                  "Canada said it would impose sanctions on Belarus. It rained in Ottawa.")
    assert ("Turkey", "attacked", "Iraq") in found, found
    assert ("Canada", "sanctioned", "Belarus") in found, found
