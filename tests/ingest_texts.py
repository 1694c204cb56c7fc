"""Texts and pages shared by the tests of kg.ingest's modules."""

ARTICLE = "President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda."
LONG_EN = (
    "President Lula da Silva visited Angola on August 25, 2023. He met President Joao Lourenco in Luanda, "
    "and the two presidents signed agreements on trade, energy and tourism in the capital."
)
LONG_DE = (
    "Bundeskanzler Olaf Scholz besuchte am Montag Peking und traf Präsident Xi Jinping. Die beiden sprachen "
    "über Handel und den Krieg in der Ukraine. Scholz sagte, Deutschland wolle die Beziehungen zu China "
    "weiter ausbauen, aber Abhängigkeiten verringern."
)
PARA = f"<p>{LONG_EN}</p><p>The visit was the first by a Brazilian president to the country in years.</p>"


def html_page(head: str, body: str = PARA) -> str:
    """A news page titled "Lula in Angola" with *head* in its ``<head>``."""
    return f"<html><head><title>Lula in Angola</title>{head}</head><body><article><h1>Lula in Angola</h1>{body}</article></body></html>"
