"""World regions of a country, after the UN M49 standard (Statistics Division, "Standard country or
area codes for statistical use").

A convening's country is free text typed by the secretariat ("Austria", "USA", "Türkiye"), so
regions are looked up by name, with the spellings people use as aliases. Two levels: the five M49
regions and, below them, the M49 intermediate region where there is one (Eastern Africa,
Caribbean ...) or else the sub-region (Western Europe, Central Asia ...): Sub-Saharan Africa and
Latin America are too broad for people working on a country's neighbours. Kosovo and Taiwan,
which M49 does not list, are placed where people look for them.

No package fits: pycountry (ISO 3166) has no regions, and this table is small and stable. Pure:
no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    parent: str = ""  # the slug of the M49 region above an area; empty for the five regions


REGIONS = [
    Region("africa", "Africa"),
    Region("americas", "Americas"),
    Region("asia", "Asia"),
    Region("europe", "Europe"),
    Region("oceania", "Oceania"),
]

# area slug, name, region slug, countries (the first spelling of each is its usual English name;
# aliases follow a "|").
_AREAS: list[tuple[str, str, str, list[str]]] = [
    (
        "northern-africa",
        "Northern Africa",
        "africa",
        ["Algeria", "Egypt", "Libya", "Morocco", "Sudan", "Tunisia", "Western Sahara"],
    ),
    (
        "eastern-africa",
        "Eastern Africa",
        "africa",
        [
            "Burundi",
            "Comoros",
            "Djibouti",
            "Eritrea",
            "Ethiopia",
            "Kenya",
            "Madagascar",
            "Malawi",
            "Mauritius",
            "Mayotte",
            "Mozambique",
            "Réunion|Reunion",
            "Rwanda",
            "Seychelles",
            "Somalia|Somaliland",
            "South Sudan",
            "Uganda",
            "Tanzania|United Republic of Tanzania",
            "Zambia",
            "Zimbabwe",
        ],
    ),
    (
        "middle-africa",
        "Middle Africa",
        "africa",
        [
            "Angola",
            "Cameroon",
            "Central African Republic|CAR",
            "Chad",
            "Congo|Republic of the Congo|Congo-Brazzaville",
            "Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa",
            "Equatorial Guinea",
            "Gabon",
            "Sao Tome and Principe|São Tomé and Príncipe",
        ],
    ),
    (
        "southern-africa",
        "Southern Africa",
        "africa",
        ["Botswana", "Eswatini|Swaziland", "Lesotho", "Namibia", "South Africa"],
    ),
    (
        "western-africa",
        "Western Africa",
        "africa",
        [
            "Benin",
            "Burkina Faso",
            "Cabo Verde|Cape Verde",
            "Côte d'Ivoire|Cote d'Ivoire|Ivory Coast",
            "Gambia|The Gambia",
            "Ghana",
            "Guinea",
            "Guinea-Bissau",
            "Liberia",
            "Mali",
            "Mauritania",
            "Niger",
            "Nigeria",
            "Saint Helena",
            "Senegal",
            "Sierra Leone",
            "Togo",
        ],
    ),
    (
        "caribbean",
        "Caribbean",
        "americas",
        [
            "Anguilla",
            "Antigua and Barbuda",
            "Aruba",
            "Bahamas|The Bahamas",
            "Barbados",
            "Cayman Islands",
            "Cuba",
            "Curaçao|Curacao",
            "Dominica",
            "Dominican Republic",
            "Grenada",
            "Guadeloupe",
            "Haiti",
            "Jamaica",
            "Martinique",
            "Montserrat",
            "Puerto Rico",
            "Saint Kitts and Nevis",
            "Saint Lucia",
            "Saint Vincent and the Grenadines",
            "Sint Maarten",
            "Trinidad and Tobago",
            "Turks and Caicos Islands",
            "British Virgin Islands",
            "United States Virgin Islands|US Virgin Islands",
        ],
    ),
    (
        "central-america",
        "Central America",
        "americas",
        ["Belize", "Costa Rica", "El Salvador", "Guatemala", "Honduras", "Mexico", "Nicaragua", "Panama"],
    ),
    (
        "south-america",
        "South America",
        "americas",
        [
            "Argentina",
            "Bolivia|Bolivia (Plurinational State of)",
            "Brazil",
            "Chile",
            "Colombia",
            "Ecuador",
            "Falkland Islands",
            "French Guiana",
            "Guyana",
            "Paraguay",
            "Peru",
            "Suriname",
            "Uruguay",
            "Venezuela|Venezuela (Bolivarian Republic of)",
        ],
    ),
    (
        "northern-america",
        "Northern America",
        "americas",
        [
            "United States|United States of America|USA|US|U.S.|U.S.A.",
            "Canada",
            "Bermuda",
            "Greenland",
            "Saint Pierre and Miquelon",
        ],
    ),
    (
        "central-asia",
        "Central Asia",
        "asia",
        ["Kazakhstan", "Kyrgyzstan|Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"],
    ),
    (
        "eastern-asia",
        "Eastern Asia",
        "asia",
        [
            "China",
            "Hong Kong",
            "Macao|Macau",
            "Japan",
            "Mongolia",
            "North Korea|Democratic People's Republic of Korea|DPRK",
            "South Korea|Republic of Korea|Korea",
            "Taiwan",
        ],
    ),
    (
        "south-eastern-asia",
        "South-eastern Asia",
        "asia",
        [
            "Brunei|Brunei Darussalam",
            "Cambodia",
            "Indonesia",
            "Laos|Lao PDR|Lao People's Democratic Republic",
            "Malaysia",
            "Myanmar|Burma",
            "Philippines|The Philippines",
            "Singapore",
            "Thailand",
            "Timor-Leste|East Timor",
            "Viet Nam|Vietnam",
        ],
    ),
    (
        "southern-asia",
        "Southern Asia",
        "asia",
        [
            "Afghanistan",
            "Bangladesh",
            "Bhutan",
            "India",
            "Iran|Iran (Islamic Republic of)",
            "Maldives",
            "Nepal",
            "Pakistan",
            "Sri Lanka",
        ],
    ),
    (
        "western-asia",
        "Western Asia",
        "asia",
        [
            "Armenia",
            "Azerbaijan",
            "Bahrain",
            "Cyprus",
            "Georgia",
            "Iraq",
            "Israel",
            "Jordan",
            "Kuwait",
            "Lebanon",
            "Oman",
            "Qatar",
            "Saudi Arabia|KSA",
            "State of Palestine|Palestine|Occupied Palestinian Territory",
            "Syria|Syrian Arab Republic",
            "Türkiye|Turkiye|Turkey",
            "United Arab Emirates|UAE",
            "Yemen",
        ],
    ),
    (
        "eastern-europe",
        "Eastern Europe",
        "europe",
        [
            "Belarus",
            "Bulgaria",
            "Czechia|Czech Republic",
            "Hungary",
            "Poland",
            "Moldova|Republic of Moldova",
            "Romania",
            "Russia|Russian Federation",
            "Slovakia",
            "Ukraine",
        ],
    ),
    (
        "northern-europe",
        "Northern Europe",
        "europe",
        [
            "Denmark",
            "Estonia",
            "Faroe Islands",
            "Finland",
            "Iceland",
            "Ireland",
            "Latvia",
            "Lithuania",
            "Norway",
            "Sweden",
            "United Kingdom|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland",
            "Isle of Man",
            "Jersey",
            "Guernsey",
        ],
    ),
    (
        "southern-europe",
        "Southern Europe",
        "europe",
        [
            "Albania",
            "Andorra",
            "Bosnia and Herzegovina|Bosnia",
            "Croatia",
            "Gibraltar",
            "Greece",
            "Holy See|Vatican",
            "Italy",
            "Kosovo",
            "Malta",
            "Montenegro",
            "North Macedonia|Macedonia",
            "Portugal",
            "San Marino",
            "Serbia",
            "Slovenia",
            "Spain",
        ],
    ),
    (
        "western-europe",
        "Western Europe",
        "europe",
        [
            "Austria",
            "Belgium",
            "France",
            "Germany",
            "Liechtenstein",
            "Luxembourg",
            "Monaco",
            "Netherlands|The Netherlands|Holland",
            "Switzerland",
        ],
    ),
    (
        "australia-and-new-zealand",
        "Australia and New Zealand",
        "oceania",
        ["Australia", "New Zealand", "Norfolk Island"],
    ),
    (
        "melanesia",
        "Melanesia",
        "oceania",
        ["Fiji", "New Caledonia", "Papua New Guinea", "Solomon Islands", "Vanuatu"],
    ),
    (
        "micronesia",
        "Micronesia",
        "oceania",
        [
            "Guam",
            "Kiribati",
            "Marshall Islands",
            "Micronesia|Federated States of Micronesia",
            "Nauru",
            "Northern Mariana Islands",
            "Palau",
        ],
    ),
    (
        "polynesia",
        "Polynesia",
        "oceania",
        [
            "American Samoa",
            "Cook Islands",
            "French Polynesia",
            "Niue",
            "Pitcairn",
            "Samoa",
            "Tokelau",
            "Tonga",
            "Tuvalu",
            "Wallis and Futuna",
        ],
    ),
]

AREAS = [Region(slug, name, parent) for slug, name, parent, _countries in _AREAS]
BY_SLUG = {region.slug: region for region in REGIONS + AREAS}


def country_key(country: str) -> str:
    """How a country is compared: trimmed and lower-cased, as the region filter's SQL does
    (``Lower(Trim(country))``), so that a facet's count and its filter always agree."""
    return country.strip().lower()


@cache
def _area_of_key() -> dict[str, Region]:
    found: dict[str, Region] = {}
    for (_slug, _name, _parent, countries), area in zip(_AREAS, AREAS, strict=True):
        for spellings in countries:
            for spelling in spellings.split("|"):
                found[country_key(spelling)] = area
    return found


def area_of(country: str) -> Region | None:
    """The M49 area (intermediate region or sub-region) of a country, or None if unknown."""
    return _area_of_key().get(country_key(country or ""))


def regions_of(country: str) -> list[Region]:
    """The region and the area of a country, broadest first; empty if the country is unknown."""
    area = area_of(country)
    return [BY_SLUG[area.parent], area] if area else []


def country_keys(slugs: list[str]) -> list[str]:
    """Every spelling (as ``country_key`` makes it) of the countries in these regions or areas.

    Each spelling comes twice when it has capitals outside ASCII: as Python lower-cases it and as
    a database whose ``lower()`` only knows ASCII would, so the filter works on either.
    """
    chosen = set(slugs)
    keys: set[str] = set()
    for key, area in _area_of_key().items():
        if area.slug in chosen or area.parent in chosen:
            keys.add(key)
    for slug, _name, _parent, countries in _AREAS:
        if slug in chosen or BY_SLUG[slug].parent in chosen:
            for spellings in countries:
                for spelling in spellings.split("|"):
                    keys.add("".join(c.lower() if c.isascii() else c for c in spelling.strip()))
    return sorted(keys)
