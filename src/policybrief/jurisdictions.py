"""Country, subdivision and language codes, checked against pycountry's ISO lists.

Jurisdiction codes are ISO 3166-1 alpha-2 for the country ("CA") and ISO 3166-2 for its
subdivisions ("CA-QC"), as pycountry (the Debian iso-codes data) lists them. Places ISO does
not code (cities, development zones) get the project's own extension: their parent's code and
one more segment of 2 to 8 capital letters or digits ("CA-QC-MTL", "CN-ZJ-HZ-HTZ"). Language
tags are BCP 47: a language subtag from ISO 639, then optionally an ISO 15924 script, an ISO
3166-1 region and variants ("en", "zh-Hans", "fr-CA", "sr-Latn").
"""

from __future__ import annotations

import functools
import re

import pycountry

#: One extension segment below an ISO code: a city or zone the project codes itself.
EXTENSION_SEGMENT = re.compile(r"^[A-Z0-9]{2,8}$")
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def check_country(code: str) -> None:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code")


@functools.cache
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@functools.cache
def subdivisions(country: str) -> dict[str, str | None]:
    """ISO 3166-2 code -> its parent's code (None for a first-level division)."""
    found = pycountry.subdivisions.get(country_code=country) or []
    return {s.code: s.parent_code for s in found}


def first_level_count(country: str) -> int:
    return sum(1 for parent in subdivisions(country).values() if parent is None)


def check_code(code: str, country: str, parent: str | None) -> str | None:
    """Why `code` is no valid jurisdiction code for `country` (with that parent), or None.
    ISO codes must be in the ISO list; the project's own codes must extend their parent's."""
    if code == country:
        return None
    iso = subdivisions(country)
    if code in iso:
        return None
    if not code.startswith(country + "-"):
        return f"code '{code}' is not in country '{country}' (codes start '{country}-')"
    head, _, last = code.rpartition("-")
    if parent is not None and head == parent and EXTENSION_SEGMENT.match(last) and head != country:
        return None  # the documented extension: a city or zone under an ISO-coded parent
    if head == country:
        return f"'{code}' is not an ISO 3166-2 subdivision of {country} (pycountry {pycountry_version()})"
    return (
        f"'{code}' is neither ISO 3166-2 nor an extension of its parent's code "
        f"(the parent's code, a hyphen, 2 to 8 capital letters or digits)"
    )


def pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


@functools.cache
def check_language_tag(tag: str) -> str:
    """`tag` if it is a well-formed BCP 47 tag whose language, script and region are in the
    ISO lists; ValueError otherwise."""
    if not _TAG.match(tag):
        raise ValueError(f"'{tag}' is not a BCP 47 language tag (such as en, fr, zh-Hans, pt-BR)")
    language, *rest = tag.split("-")
    found = (
        pycountry.languages.get(alpha_2=language.lower())
        if len(language) == 2
        else pycountry.languages.get(alpha_3=language.lower())
    )
    if found is None:
        raise ValueError(f"'{tag}': unknown language '{language}' (ISO 639)")
    for sub in rest:
        if len(sub) == 4 and sub.isalpha():
            if pycountry.scripts.get(alpha_4=sub.title()) is None:
                raise ValueError(f"'{tag}': unknown script '{sub}' (ISO 15924)")
        elif len(sub) == 2 and sub.isalpha():
            if pycountry.countries.get(alpha_2=sub.upper()) is None:
                raise ValueError(f"'{tag}': unknown region '{sub}' (ISO 3166-1)")
        elif not (len(sub) == 3 and sub.isdigit()) and not 5 <= len(sub) <= 8:
            raise ValueError(f"'{tag}': subtag '{sub}' is no script, region or variant")
    return tag


__all__ = [
    "check_code",
    "check_country",
    "check_language_tag",
    "country_name",
    "first_level_count",
    "subdivisions",
]
