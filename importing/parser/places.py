"""Places: a small gazetteer of cities, countries and venues, and the place line of a title block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import KIND_ANY_RE

# A small gazetteer: "City=Country" pairs, and venues as "Venue=City=Country".
_CITY_TABLE = """
Vienna=Austria; New York=United States; New York City=United States; Washington=United States;
Washington, DC=United States; Washington D.C.=United States; San Francisco=United States;
Los Angeles=United States; Chicago=United States; Boston=United States; Ottawa=Canada; Toronto=Canada;
Montreal=Canada; Mexico City=Mexico; Bogota=Colombia; Bogotá=Colombia;
Geneva=Switzerland; Bern=Switzerland; Brussels=Belgium; Paris=France; Strasbourg=France;
London=United Kingdom; Madrid=Spain; Barcelona=Spain; Rome=Italy; Milan=Italy; Berlin=Germany;
Bonn=Germany; Warsaw=Poland; Prague=Czech Republic; Budapest=Hungary; Bratislava=Slovakia;
Ljubljana=Slovenia; Zagreb=Croatia; Stockholm=Sweden; Oslo=Norway; Copenhagen=Denmark; Helsinki=Finland;
The Hague=Netherlands; Amsterdam=Netherlands; Dublin=Ireland; Lisbon=Portugal; Athens=Greece;
Valletta=Malta; Nicosia=Cyprus; Sofia=Bulgaria; Bucharest=Romania; Chisinau=Moldova; Kyiv=Ukraine;
Kiev=Ukraine; Minsk=Belarus; Moscow=Russia; Tbilisi=Georgia; Yerevan=Armenia; Baku=Azerbaijan;
Ankara=Turkey; Istanbul=Turkey; Sarajevo=Bosnia and Herzegovina; Pristina=Kosovo; Prishtina=Kosovo;
Tirana=Albania; Skopje=North Macedonia; Belgrade=Serbia; Podgorica=Montenegro; Bishkek=Kyrgyzstan;
Osh=Kyrgyzstan; Almaty=Kazakhstan; Astana=Kazakhstan; Tashkent=Uzbekistan; Dushanbe=Tajikistan;
Ashgabat=Turkmenistan; Tunis=Tunisia; Rabat=Morocco; Algiers=Algeria; Cairo=Egypt; Amman=Jordan;
Beirut=Lebanon; Baghdad=Iraq; Erbil=Iraq; Doha=Qatar; Abu Dhabi=United Arab Emirates;
Dubai=United Arab Emirates; Riyadh=Saudi Arabia; Nairobi=Kenya; Mombasa=Kenya; Kampala=Uganda;
Addis Ababa=Ethiopia; Mogadishu=Somalia; Dakar=Senegal; Abuja=Nigeria; Lagos=Nigeria; Accra=Ghana;
Bamako=Mali; Niamey=Niger; Ouagadougou=Burkina Faso; N'Djamena=Chad; Johannesburg=South Africa;
Pretoria=South Africa; Cape Town=South Africa; Islamabad=Pakistan; Kabul=Afghanistan; New Delhi=India;
Delhi=India; Dhaka=Bangladesh; Colombo=Sri Lanka; Jakarta=Indonesia; Kuala Lumpur=Malaysia;
Manila=Philippines; Bangkok=Thailand; Singapore=Singapore; Sydney=Australia; Canberra=Australia;
Tokyo=Japan
"""
_EXTRA_COUNTRIES = """
United States of America; USA; U.S.; UK; Luxembourg; Mongolia; Libya; Sudan; Yemen; Syria; Palestine;
Israel; Iran; Cameroon; Mauritania; Tanzania; Mozambique; Bosnia
"""
_VENUE_TABLE = """
Hofburg=Vienna=Austria; Hofburg Palace=Vienna=Austria; Vienna International Centre=Vienna=Austria;
Palais des Nations=Geneva=Switzerland; UN Headquarters=New York=United States;
United Nations Headquarters=New York=United States; Egmont Palace=Brussels=Belgium;
Peace Palace=The Hague=Netherlands; Online==; Virtual==
"""


def _table(text: str) -> list[list[str]]:
    return [[part.strip() for part in entry.split("=")] for entry in text.split(";") if entry.strip()]


_CITIES: dict[str, tuple[str, str]] = {city.casefold(): (city, country) for city, country in _table(_CITY_TABLE)}
_COUNTRIES = {
    name.casefold(): name
    for name in [country for _, country in _CITIES.values()] + [c[0] for c in _table(_EXTRA_COUNTRIES)]
}
_VENUES: dict[str, tuple[str, str | None, str | None]] = {
    venue.casefold(): (venue, city or None, country or None) for venue, city, country in _table(_VENUE_TABLE)
}
_VENUE_WORDS_RE = re.compile(
    r"\b(hotel|centre|center|hall|palace|palais|house|building|headquarters|university|room|"
    r"auditorium|institute|embassy|mission|library|forum|hofburg|campus|chamber)\b",
    re.I,
)


@dataclass
class Place:
    city: str | None = None
    venue: str | None = None
    country: str | None = None


def _placeish(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 6 and part[:1].isupper() and not KIND_ANY_RE.search(part) and len(part) <= 60


def place_from_parts(parts: list[str]) -> tuple[Place, list[str]]:
    """Sort comma-separated place parts into venue, city and country; return the rest."""
    place = Place()
    venues: list[str] = []
    unknown: list[str] = []
    for part in parts:
        key = part.casefold().strip(" .")
        if key in _COUNTRIES:
            place.country = _COUNTRIES[key]
        elif key in _CITIES:
            place.city, city_country = _CITIES[key]
            place.country = place.country or city_country
        elif key in _VENUES:
            name, venue_city, venue_country = _VENUES[key]
            venues.append(name)
            place.city = place.city or venue_city
            place.country = place.country or venue_country
        else:
            unknown.append(part)
    rest: list[str] = []
    for part in unknown:
        if not _placeish(part):
            rest.append(part)
        elif place.city is None and not _VENUE_WORDS_RE.search(part) and part is unknown[-1]:
            place.city = part
        else:
            venues.append(part)
    if venues:
        place.venue = ", ".join(venues)
    return place, rest


def split_place(text: str) -> list[str]:
    return [p.strip(" .–—-|") for p in re.split(r"[,|;]|\s[–—-]\s", text) if p.strip(" .–—-|")]


def is_place_line(text: str) -> bool:
    if len(text) > 80:
        return False
    parts = split_place(text)
    if not parts or any(len(p) > 45 for p in parts):
        return False
    return any(p.casefold() in _CITIES or p.casefold() in _COUNTRIES or p.casefold() in _VENUES for p in parts)
