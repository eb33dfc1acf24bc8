"""Generalisation rules (age bands, dates to month/year, address to city, prefixes).

Each rule can generalise a raw value (used by ``apply`` and by the linkage attack,
which generalises the raw file the way the policy says) and check that a masked value
looks like the rule's output.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from review.core.masking import MASK_CHAR
from review.scanners.desensitisation.hierarchy import parse_date


class RuleError(ValueError):
    """A generalisation rule string that is unknown or malformed."""


class Generaliser(ABC):
    """One generalisation rule."""

    @abstractmethod
    def generalise(self, value: str) -> str | None:
        """The generalised value, or None when ``value`` cannot be generalised."""

    @abstractmethod
    def conforms(self, value: str) -> bool:
        """Whether ``value`` is a possible output of this rule."""


@dataclass(frozen=True)
class AgeBand(Generaliser):
    """``age-band:10``: 36 -> ``30-39``."""

    width: int

    def generalise(self, value: str) -> str | None:
        text = value.strip()
        if not text.isdigit():
            return None
        low = int(text) // self.width * self.width
        return f"{low}-{low + self.width - 1}"

    def conforms(self, value: str) -> bool:
        match = re.fullmatch(r"(\d{1,3})-(\d{1,3})", value.strip())
        if not match:
            return False
        low, high = int(match[1]), int(match[2])
        return low % self.width == 0 and high == low + self.width - 1


@dataclass(frozen=True)
class DateTo(Generaliser):
    """``date-month`` / ``date-year``: 1990-12-07 or 2025-05-05 05:52 -> month / year."""

    unit: str

    def generalise(self, value: str) -> str | None:
        parsed = parse_date(value)
        if parsed is None:
            return None
        year, month, _ = parsed
        return f"{year:04d}" if self.unit == "year" else f"{year:04d}-{month:02d}"

    def conforms(self, value: str) -> bool:
        pattern = r"\d{4}" if self.unit == "year" else r"\d{4}-\d{2}"
        return re.fullmatch(pattern, value.strip()) is not None


# Chinese addresses go province -> city (or prefecture / league) -> district. The city
# level is the first unit that ends in one of these; municipalities end in 市 first.
_CITY = re.compile(r"^(.{1,12}?(?:市|自治州|地区|盟))")
_PROVINCE = re.compile(r"^(.{1,8}?(?:省|自治区|特别行政区))")


@dataclass(frozen=True)
class AddressToCity(Generaliser):
    """``address-city``: 北京市朝阳区建国路88号 -> ``北京市``."""

    def generalise(self, value: str) -> str | None:
        text = value.strip()
        match = _CITY.match(text) or _PROVINCE.match(text)
        return match[1] if match else None

    def conforms(self, value: str) -> bool:
        text = value.strip()
        # A city name: short, no street numbers or house details left in it.
        return bool(text) and len(text) <= 16 and not any(ch.isdigit() for ch in text)


@dataclass(frozen=True)
class Prefix(Generaliser):
    """``prefix:3``: postcode 100101 -> ``100*``, United-States -> ``Uni*``.

    The output depends on the first N characters alone (not the length), so values
    sharing a prefix become one value. ``100***`` (length kept) is read as conforming.
    """

    keep: int

    def generalise(self, value: str) -> str | None:
        text = value.strip()
        return text[: self.keep] + MASK_CHAR if text else None

    def conforms(self, value: str) -> bool:
        text = value.strip()
        head = text.rstrip(MASK_CHAR)
        return (
            text.endswith(MASK_CHAR)
            and bool(head)
            and len(head) <= self.keep
            and MASK_CHAR not in head
        )


def _int_arg(name: str, arg: str | None) -> int:
    if arg is None or not arg.isdigit() or int(arg) < 1:
        raise RuleError(f"rule {name!r} needs a positive whole number, e.g. '{name}:10'")
    return int(arg)


def _no_arg(name: str, arg: str | None) -> None:
    if arg is not None:
        raise RuleError(f"rule {name!r} takes no argument")


def _age_band(arg: str | None) -> Generaliser:
    return AgeBand(_int_arg("age-band", arg))


def _prefix(arg: str | None) -> Generaliser:
    return Prefix(_int_arg("prefix", arg))


def _date_month(arg: str | None) -> Generaliser:
    _no_arg("date-month", arg)
    return DateTo("month")


def _date_year(arg: str | None) -> Generaliser:
    _no_arg("date-year", arg)
    return DateTo("year")


def _address_city(arg: str | None) -> Generaliser:
    _no_arg("address-city", arg)
    return AddressToCity()


# The closed registry of rule names; each entry builds the rule from its argument.
RULES: dict[str, Callable[[str | None], Generaliser]] = {
    "age-band": _age_band,
    "date-month": _date_month,
    "date-year": _date_year,
    "address-city": _address_city,
    "prefix": _prefix,
}


def parse_rule(text: str) -> Generaliser:
    """Build the generaliser named by ``text`` (``name`` or ``name:arg``)."""
    name, sep, arg = text.strip().partition(":")
    if name not in RULES:
        known = ", ".join(sorted(RULES))
        raise RuleError(f"unknown generalisation rule {name!r} (known: {known})")
    return RULES[name](arg if sep else None)
