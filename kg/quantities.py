"""Numbers stated in text: "more than 2.2 billion", "nearly 30", "$5 billion".

:func:`parse_quantity` turns the words of a number expression into a
qualifier and an exact decimal value (as a string, so output is exact and
deterministic).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["parse_quantity", "QUALIFIERS"]

#: Words before a number that qualify it, longest first.
QUALIFIERS = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as", "no fewer than",
    "nearly", "almost", "about", "around", "approximately", "roughly", "some", "over", "under", "just over",
    "just under", "close to", "upwards of", "estimated",
)
_SCALE = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000,
}
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "dozens": 24, "hundreds": 200,
    "thousands": 2000,
}
_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "yuan": "CNY", "dollars": "USD",
             "euros": "EUR", "pounds": "GBP", "rupees": "INR", "yen": "JPY", "rubles": "RUB", "roubles": "RUB"}


def parse_quantity(text: str) -> tuple[str | None, str, str | None] | None:
    """``(qualifier, value, currency)`` of a number expression, or ``None``.

    >>> parse_quantity("more than 2.2 billion")
    ('more than', '2200000000', None)
    >>> parse_quantity("nearly 30")
    ('nearly', '30', None)
    >>> parse_quantity("$5 billion")
    (None, '5000000000', 'USD')
    >>> parse_quantity("21")
    (None, '21', None)
    >>> parse_quantity("hundreds") is None
    True
    """
    words = text.strip().lower().replace(",", "")
    qualifier = None
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if words.startswith(q + " "):
            qualifier, words = q, words[len(q) + 1:]
            break
    currency = None
    for sign, code in _CURRENCY.items():
        if words.startswith(sign.lower()):
            currency, words = code, words[len(sign):].strip()
        elif words.endswith(" " + sign.lower()):
            currency, words = code, words[: -len(sign) - 1].strip()
    tokens = re.findall(r"\d+(?:\.\d+)?|[a-z]+", words)
    if not tokens:
        return None
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?", tokens[0]):
            value = Decimal(tokens[0])
        elif tokens[0] in _WORDS and tokens[0] not in ("dozens", "hundreds", "thousands"):
            value = Decimal(_WORDS[tokens[0]])
        else:
            return None
        for token in tokens[1:]:
            if token in _SCALE:
                value *= _SCALE[token]
            elif token in _WORDS and _WORDS[token] < 10 and value % 10 == 0:
                value += _WORDS[token]  # "twenty five"
            else:
                break
    except InvalidOperation:
        return None
    normal = format(value.normalize(), "f")
    return qualifier, normal, currency
