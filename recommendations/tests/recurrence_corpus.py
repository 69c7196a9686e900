"""A second convening written for the recurrence tests (never copied from the seeds).

``RESTATEMENTS`` ask again, in other words, what the Vienna seed's recommendation of the given
number asks; ``NEW_ASKS`` ask things Vienna never asked. Each entry: (headline, body, sub-items).
"""

from __future__ import annotations

RESTATEMENTS: dict[int, tuple[str, str, list[str]]] = {
    13: (
        "Give young people a real say in prevention policy",
        "Set up standing channels through which youth groups and young activists are consulted by "
        "the officials who write prevention policies and programmes, and show them how their views "
        "were acted upon.",
        [],
    ),
    7: (
        "Put gender at the centre of rehabilitation and reintegration",
        "Rehabilitation, reintegration and after-care services should be designed to be gender-sensitive, "
        "and donors should fund specialised studies of how gender shapes radicalisation, recruitment "
        "and the road back into society.",
        [],
    ),
    3: (
        "Choose words with care",
        "Labels such as CVE and VERLT stigmatise whole communities and make them wary of dialogue with "
        "local authorities; talk instead about the local concerns people share.",
        [],
    ),
    5: (
        "Build trust between police and communities over the long term",
        "Fund multi-year programmes that bring local law enforcement, civil society and residents "
        "together, since trust is what makes local prevention work last.",
        [
            "community safety councils or committees in which police officers sit with residents;",
            "joint trainings and dialogues for practitioners and police officers.",
        ],
    ),
    11: (
        "Fund sustained and rigorous research on violent extremism",
        "Donors and governments should support continuous, rigorous research into how violent "
        "extremism works and into the geographic and demographic trends of radicalisation and "
        "recruitment, so that prevention programmes rest on evidence.",
        [],
    ),
}

NEW_ASKS: list[tuple[str, str, list[str]]] = [
    (
        "Digitise the archives of closed newspapers",
        "Municipal libraries should scan and preserve the back issues of local newspapers that have "
        "closed down, so that historians can study how the press covered the war years.",
        [],
    ),
    (
        "Open the tenders for school meals",
        "Ministries of education should publish every tender for school catering, the bids received "
        "and the prices paid, in an open format, each term.",
        [],
    ),
    (
        "Keep the night trains running",
        "Railway operators and their regulators should keep overnight rail connections between the "
        "capital and the mountain towns, with fares that students can afford.",
        [],
    ),
]
