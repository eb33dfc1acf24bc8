"""Which texts could hold anything a recognizer finds: a cheap test before the analyzer.

It needs neither Presidio (about 3 s to import) nor the analyzer (about 2 s to build),
so a table whose headers and categories are plain words (``age_band``, ``city``,
``postcode3``, ``Bachelors``) is checked without them. It answers "maybe" for every text
some recognizer in ``REASONED_FOR`` could find anything in, because each needs one of:

- a character other than an ASCII letter, digit, space, ``_`` or ``-``: Han characters
  (Chinese names, addresses, plates), ``@`` (e-mail), ``:`` and ``.`` (IP addresses),
  ``'`` (O'Brien), any other script or punctuation;
- four digits or more (every identifier, card, phone number and numeric date);
- two letters then two digits (the start of an IBAN, whose other groups may be letters);
- a month's abbreviation joined to a number by a hyphen (5-May, Jan-24);
- twenty letters and digits in a row (wallet addresses);
- two capitalised words in a row (a name-shaped value: Alex Morgan, Li Wei);
- a word from the English name lists' evidence: a listed first name, a title or a
  speech verb (a surname alone never scores enough without one of them).

A test checks the claim against the full analyzer, and that the recognizers are still
the ones it was reasoned for.
"""

from __future__ import annotations

import re
from functools import lru_cache

from review.scanners.pii.vocab import TITLES, VERBS_AFTER, first_names

REASONED_FOR = frozenset(
    {
        "ChineseNameRecognizer",
        "CnBankCardRecognizer",
        "CnHmtPermitRecognizer",
        "CnLicensePlateRecognizer",
        "CnMobilePhoneRecognizer",
        "CnPassportRecognizer",
        "CnResidentIdRecognizer",
        "CnUsccRecognizer",
        "CreditCardRecognizer",
        "CryptoRecognizer",
        "DateRecognizer",
        "EmailRecognizer",
        "EnNameRecognizer",
        "HkIdCardRecognizer",
        "IbanRecognizer",
        "IpRecognizer",
        "LatinNameRecognizer",
        "MaestroShortRecognizer",
        "PhoneRecognizer",
        "TwNationalIdRecognizer",
        "UrlRecognizer",
        "UsSsnRecognizer",
        "ZhAddressRecognizer",
        "ZhNameRecognizer",
    }
)
"""The registered recognizers (``recognizers.RECOGNIZERS``) the rules above cover."""

_PLAIN = re.compile(r"[A-Za-z0-9 _\-]*")
_NUMBERS = re.compile(
    r"(?:\d\D*){4}|[A-Za-z]{2}\d{2}"
    r"|(?i:\d-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-\d)"
)
_LONG_RUN = re.compile(r"[A-Za-z0-9]{20}")
_CAPITALISED_PAIR = re.compile(r"[A-Z][a-z]*[ _\-]+[A-Z]")
# Words, with camelCase split too (customerJohn): more words only means more "maybe".
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


@lru_cache(maxsize=1)
def _evidence_words() -> frozenset[str]:
    plain = {word.rstrip(".") for word in TITLES | VERBS_AFTER}
    return frozenset(first_names()) | frozenset(plain)


def could_hold_personal_data(text: str) -> bool:
    """Whether any recognizer could find anything in ``text`` (False is certain)."""
    if not _PLAIN.fullmatch(text):
        return True
    if _NUMBERS.search(text) or _LONG_RUN.search(text) or _CAPITALISED_PAIR.search(text):
        return True
    evidence = _evidence_words()
    return any(word.lower() in evidence for word in _WORD.findall(text))
