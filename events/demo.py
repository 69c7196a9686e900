"""Demo content written for the project (original text, not taken from any real summary).

It mirrors the structure of a real civil-society-day summary so every page has something to
show: overview, key themes, numbered recommendations with lettered sub-items, sessions with
continuously numbered paragraphs, footnotes, next steps and participants of all three visibilities.
"""

from __future__ import annotations

import datetime as dt

THEMES = [
    ("Youth", "youth"),
    ("Gender", "gender"),
    ("Trust-building", "trust-building"),
    ("Rehabilitation and reintegration", "rehabilitation-and-reintegration"),
    ("Capacity", "capacity"),
    ("Research", "research"),
    ("Legal and political space", "legal-and-political-space"),
    ("CSO collaboration", "cso-collaboration"),
]

ADDRESSEES = [
    ("Participating States", "participating-states", "states"),
    ("UN Secretary-General", "un-secretary-general", "multilateral"),
    ("UN Office of Counter-Terrorism", "un-office-of-counter-terrorism", "multilateral"),
    ("UNDP", "undp", "multilateral"),
    ("Donors", "donors", "donors"),
    ("Law enforcement", "law-enforcement", "states"),
    ("Civil-society organizations", "civil-society-organizations", "civil_society"),
    ("Media and technology companies", "media-and-technology-companies", "other"),
]

# (name, slug, kind, country, verified)
ORGANIZATIONS = [
    ("Riverbank Youth Forum", "riverbank-youth-forum", "cso", "Kenya", True),
    ("Harbour Women's Network", "harbour-womens-network", "cso", "Tunisia", True),
    ("Open Steppe Initiative", "open-steppe-initiative", "cso", "Kyrgyzstan", True),
    ("Balkan Dialogue Lab", "balkan-dialogue-lab", "cso", "North Macedonia", True),
    ("Quiet Courage Collective", "quiet-courage-collective", "cso", "Undisclosed", True),
    ("Northlight Foundation", "northlight-foundation", "donor", "Norway", True),
    ("Institute for Community Research", "institute-for-community-research", "academic", "Belgium", True),
    ("New Horizons Association", "new-horizons-association", "cso", "Jordan", False),
]

CONVENING = {
    "slug": "csd-2025-geneva",
    "code": "CSD-2025-GVA",
    "title": "Civil Society Day on Community Resilience",
    "kind": "civil_society_day",
    "start_date": dt.date(2025, 10, 14),
    "city": "Geneva",
    "venue": "Maison de la Paix",
    "country": "Switzerland",
    "region": "Europe",
    "host_conference": "Regional Conference on Community-Based Prevention",
    "summary_title": "Meeting Summary and Recommendations",
    "rule": "chatham_house",
    "overview": (
        "On the day after the regional conference, the Global Solutions Exchange brought together "
        "some forty practitioners from community groups, research institutes and funders. The day "
        "asked one question: what would make local prevention work last longer than a project "
        "cycle? Participants agreed on the recommendations below and asked the co-chairs to "
        "circulate them for endorsement.[^1]"
    ),
    "disclaimer": (
        "This summary reflects the discussion as understood by the organisers. It does not bind "
        "any participant or organization."
    ),
}

KEY_THEMES = [
    "how small grants and multi-year core funding change what community groups can plan for;",
    "what young people need in order to lead prevention work rather than be its target;",
    "ways to rebuild trust between neighbourhoods and the police after a crisis;",
    "the role of women's organizations in reintegration of returning family members;",
    "how shrinking civic space affects who dares to take part in prevention work;",
    "which evidence practitioners find useful, and who should own the data.[^2]",
]

# (number, headline, body, [sub-items], [theme slugs], [addressee slugs], status)
RECOMMENDATIONS = [
    (
        1,
        "Fund the core, not only the project",
        "Donors should move part of their prevention funding to multi-year core grants for local organizations.",
        [],
        ["capacity"],
        ["donors"],
        "circulating",
    ),
    (
        2,
        "Young people as co-designers",
        "Programmes aimed at youth should be designed with young people from the start.",
        [
            "set aside seats for youth representatives on programme steering groups;",
            "pay young facilitators for their time at the same rate as other experts;",
            "publish a short youth-friendly version of every evaluation;",
            "support youth-led media projects that tell local stories of resilience.",
        ],
        ["youth"],
        ["participating-states", "donors"],
        "submitted",
    ),
    (
        3,
        "Neighbourhood dialogue with the police",
        "Law enforcement agencies should hold regular, facilitated dialogues with neighbourhoods, "
        "with agendas set jointly and results reported back to residents.",
        [],
        ["trust-building"],
        ["law-enforcement"],
        "acknowledged",
    ),
    (
        4,
        "Recognise women's organizations in reintegration",
        "Reintegration plans should name women's organizations as partners and fund their role.",
        [
            "include them in case-management meetings with consent of the families;",
            "offer psychosocial training to their staff and volunteers;",
            "protect their staff from stigma and threats linked to the work.",
        ],
        ["gender", "rehabilitation-and-reintegration"],
        ["participating-states", "undp"],
        "in_progress",
    ),
    (
        5,
        "Protect civic space",
        "States should review counter-terrorism laws that restrict the registration, funding or speech "
        "of civil-society organizations, with a timetable and public consultation.",
        [],
        ["legal-and-political-space"],
        ["participating-states", "un-secretary-general"],
        "proposed",
    ),
    (
        6,
        "Shared evidence, shared ownership",
        "Research on local prevention should be co-owned by the communities it studies.",
        [
            "agree data-sharing rules with community partners before fieldwork;",
            "return findings in local languages;",
            "fund small practitioner-led studies.",
        ],
        ["research"],
        ["donors", "civil-society-organizations"],
        "circulating",
    ),
    (
        7,
        "A standing channel to the United Nations",
        "The UN Office of Counter-Terrorism should open a standing channel for civil-society input "
        "into its programme planning, with feedback on how input was used.",
        [],
        ["cso-collaboration"],
        ["un-office-of-counter-terrorism"],
        "submitted",
    ),
    (
        8,
        "Responsible platforms",
        "Media and technology companies should give local organizations a fast route to report "
        "harmful content and should share aggregate data on their responses.",
        [],
        ["cso-collaboration"],
        ["media-and-technology-companies"],
        "not_taken_up",
    ),
    (
        9,
        "Peer exchange across regions",
        "Civil-society organizations should set up peer exchanges between regions facing similar "
        "challenges, supported by light coordination from the network.",
        ["pair organizations for six-month exchanges;", "document what travels and what does not;"],
        ["cso-collaboration", "capacity"],
        ["civil-society-organizations", "donors"],
        "proposed",
    ),
]

SESSIONS = [
    (
        "Opening Session",
        [
            "The co-chairs opened the day by recalling why the network meets beside official conferences: "
            "to bring local experience into rooms where it is usually summarised by others.",
            "Participants introduced their work in pairs and listed the one obstacle they would remove if they could.",
        ],
    ),
    (
        "Session 1: Funding that lasts",
        [
            "Several participants described projects that ended just as trust had been built.",
            "A funder explained the internal rules that make short grants easier to approve, "
            "and what could change them.",
            "The group discussed pooled funds as a way to reduce reporting burdens for small organizations.",
        ],
    ),
    (
        "Session 2: Youth and trust",
        [
            "Young participants asked to be treated as partners with their own expertise.[^1]",
            "Examples of joint football leagues and radio programmes with local police were shared.",
            "Participants warned that dialogue formats fail when residents never hear what happened next.",
        ],
    ),
    (
        "Closing Session",
        [
            "The co-chairs summarised the recommendations and invited comments within two weeks.",
            "The co-chairs will circulate the recommendations for endorsement and prepare a one-page brief for donors.",
        ],
    ),
]

FOOTNOTES = [
    (1, "The discussion was held under the Chatham House Rule; no statement is attributed."),
    (2, "Data ownership was also raised at an earlier regional workshop of the network."),
]

NEXT_STEPS = [
    ("Circulate the recommendations for endorsement by member organizations.", 30, "in_progress"),
    ("Prepare a one-page brief for donors on recommendations 1 and 6.", 45, "open"),
    ("Report back to participants on responses received.", -20, "open"),
]

# (organization slug, role, visibility)
PARTICIPATIONS = [
    ("riverbank-youth-forum", "co_chair", "public"),
    ("harbour-womens-network", "speaker", "public"),
    ("balkan-dialogue-lab", "participant", "public"),
    ("open-steppe-initiative", "participant", "network"),
    ("quiet-courage-collective", "participant", "confidential"),
    ("institute-for-community-research", "observer", "public"),
    ("northlight-foundation", "observer", "network"),
]

# (recommendation number, organization slug, named?, signatory): a few, so counts and endorsers
# show; one organization endorses without being named.
ENDORSEMENTS = [
    (2, "balkan-dialogue-lab", True, "Vesna Petrovska"),
    (2, "harbour-womens-network", True, "Leila Haddad"),
    (4, "balkan-dialogue-lab", True, "Vesna Petrovska"),
    (4, "harbour-womens-network", True, "Leila Haddad"),
    (4, "institute-for-community-research", True, "Pieter Claes"),
    (4, "open-steppe-initiative", True, "Aizada Bekova"),
    (6, "balkan-dialogue-lab", True, "Vesna Petrovska"),
    (6, "harbour-womens-network", True, "Leila Haddad"),
    (6, "institute-for-community-research", True, "Pieter Claes"),
    (6, "open-steppe-initiative", True, "Aizada Bekova"),
    (6, "quiet-courage-collective", False, "A. Member"),
    (6, "riverbank-youth-forum", True, "Daniel Otieno"),
]

# username, e-mail, password, is_staff, organization slug or None
USERS = [
    ("secretariat", "secretariat@gsx.example", "gsx-demo-secretariat", True, None),
    ("cso", "cso@riverbank.example", "gsx-demo-cso", False, "riverbank-youth-forum"),
    ("donor", "donor@northlight.example", "gsx-demo-donor", False, "northlight-foundation"),
]
