"""The pure text analysis behind the preview's participants, owners and proposals (no database)."""

from __future__ import annotations

from importing.parser import parse_summary
from importing.suggest_entities import (
    DirectoryEntry,
    find_mentions,
    find_owners,
    match_name,
    sentences,
    suggest_entities,
)

DIRECTORY = [
    DirectoryEntry(1, "the-harbour-institute", "The Harbour Institute"),
    DirectoryEntry(2, "center-for-civic-dialogue", "Center for Civic Dialogue", "CCD"),
    DirectoryEntry(3, "united-nations-development-programme", "United Nations Development Programme", "UNDP"),
    DirectoryEntry(4, "osce", "Organization for Security and Co-operation in Europe", "OSCE"),
]

LETTER_SUMMARY = """**Roundtable on Coastal Mediation Networks**

3 March 2021
Lisbon

### **Informal Meeting Summary**

1. The Harbour Institute, together with the Centre for Civic Dialogue, convened a roundtable for mediators
working along the coast. The aims were two: 1) to compare how disputes reach mediators and 2) to list what
slows them down.
2. Participants discussed the importance of keeping the mediators' notes private. Participants also recalled
the proposed reforms of the port authority, which nobody present supported.
3. It was suggested that the network send a joint letter to the regional ombudsman, asking for a standing
channel for mediators. To make this practical, the letter could propose a quarterly meeting between the
ombudsman and the network. Other items for the letter included 1) naming one contact person in each port; 2)
publishing the ombudsman's replies; and 3) reviewing the channel after a year. Besides this letter,
participants also proposed a short guide for new mediators, given how many join each spring.
4. In terms of next steps, the network co-chairs (Harbour Institute and Tidewater Alliance) committed to draft
and circulate the letter and the guide.
"""


def _names(mentions: list) -> list[tuple[str, str]]:
    return [(m.name, m.role) for m in mentions]


def test_find_mentions_reads_convenors_joined_by_together_with() -> None:
    text = (
        "Following a week of talks, the Harbour Institute, together with the Tidewater Alliance, convened a workshop."
    )

    assert _names(find_mentions(text)) == [("Harbour Institute", "convenor"), ("Tidewater Alliance", "convenor")]


def test_find_mentions_reads_convened_by_and_co_chairs_in_brackets() -> None:
    text = (
        "The meeting was convened by the Reef Council and Lagoon Watch on 3 May. "
        "The co-chairs (Saltmarsh Forum and Delta Youth Network) opened it."
    )

    assert _names(find_mentions(text)) == [
        ("Reef Council", "convenor"),
        ("Lagoon Watch", "convenor"),
        ("Saltmarsh Forum", "co_chair"),
        ("Delta Youth Network", "co_chair"),
    ]


def test_find_mentions_gives_a_partner_the_convenor_role_only_beside_a_convening_verb() -> None:
    convened = "The Reef Council organized the day in partnership with Lagoon Watch."
    worked = "Several projects ran in partnership with Lagoon Watch."

    assert _names(find_mentions(convened)) == [("Reef Council", "convenor"), ("Lagoon Watch", "convenor")]
    assert _names(find_mentions(worked)) == [("Lagoon Watch", "participant")]


def test_find_mentions_lists_the_bodies_that_sent_representatives_but_no_generic_words() -> None:
    text = (
        "The Reef Council convened representatives of civil society organizations (CSOs), the Port Authority, "
        "the Organization for Security and Co-operation in Europe and interested participating States during a day."
    )

    assert _names(find_mentions(text)) == [
        ("Reef Council", "convenor"),
        ("Port Authority", "participant"),
        ("Organization for Security and Co-operation in Europe", "participant"),
    ]


def test_find_mentions_ignores_a_convening_with_no_named_subject() -> None:
    assert find_mentions("Participants were convened in the old customs house to discuss the tides.") == []


def test_match_name_forgives_the_article_and_the_spelling_but_not_a_longer_name() -> None:
    assert match_name("Harbour Institute", DIRECTORY)[0] == DIRECTORY[0]
    assert match_name("Centre for Civic Dialogue", DIRECTORY)[0] == DIRECTORY[1]
    assert match_name("United Nations", DIRECTORY)[0] is None
    assert match_name("Tidewater Alliance", DIRECTORY)[0] is None


def test_match_name_finds_an_acronym_exactly() -> None:
    assert match_name("OSCE", DIRECTORY) == (DIRECTORY[3], 1.0)
    assert match_name("Civic Dialogue Centre", DIRECTORY, acronym="CCD") == (DIRECTORY[1], 1.0)


def test_find_owners_reads_the_group_in_brackets_before_committed() -> None:
    step = "In terms of next steps, the co-chairs (Harbour Institute and Tidewater Alliance) committed to write it."

    assert [m.name for m in find_owners(step)] == ["Harbour Institute", "Tidewater Alliance"]


def test_find_owners_reads_an_owner_label_and_a_plain_subject() -> None:
    assert [m.name for m in find_owners("Publish the guide. Owner: Lagoon Watch")] == ["Lagoon Watch"]
    assert [m.name for m in find_owners("The Reef Council will host the next meeting.")] == ["Reef Council"]


def test_sentences_do_not_end_at_abbreviations() -> None:
    text = "Groups in the U.S. Midwest, e.g. Ohio, took part. Mr. Reed spoke. Then it ended."

    assert sentences(text) == ["Groups in the U.S. Midwest, e.g. Ohio, took part.", "Mr. Reed spoke.", "Then it ended."]


def test_suggest_entities_matches_participants_once_each_with_the_strongest_role() -> None:
    suggestions = suggest_entities(parse_summary(LETTER_SUMMARY), DIRECTORY)

    assert [(p.name, p.role, p.organization.slug if p.organization else None) for p in suggestions.participants] == [
        ("Harbour Institute", "convenor", "the-harbour-institute"),
        ("Centre for Civic Dialogue", "convenor", "center-for-civic-dialogue"),
        ("Tidewater Alliance", "co_chair", None),
    ]
    assert suggestions.participants[0].candidates[0] == DIRECTORY[0]
    assert [(o.next_step, o.name, o.organization) for o in suggestions.next_step_owners] == [
        (1, "Harbour Institute", DIRECTORY[0]),
        (1, "Tidewater Alliance", None),
    ]


def test_suggest_entities_offers_the_letter_with_its_items_and_the_guide_as_proposals() -> None:
    proposals = suggest_entities(parse_summary(LETTER_SUMMARY)).proposals
    strong = [p for p in proposals if p.ticked]

    assert [(p.paragraph, p.headline) for p in strong] == [
        (3, "The network send a joint letter to the regional ombudsman"),
        (3, "A short guide for new mediators"),
    ]
    letter = strong[0]
    assert [(s.letter, s.text) for s in letter.sub_items] == [
        ("a", "Naming one contact person in each port"),
        ("b", "Publishing the ombudsman's replies"),
        ("c", "Reviewing the channel after a year."),
    ]
    assert letter.body.startswith("It was suggested that the network send a joint letter")
    assert "the letter could propose a quarterly meeting" in letter.body
    assert letter.body.endswith("Other items for the letter included:")
    assert letter.to_dict()["sub_items"][0] == {"letter": "a", "text": "Naming one contact person in each port"}


def test_suggest_entities_leaves_out_adjectives_aims_and_next_steps() -> None:
    proposals = suggest_entities(parse_summary(LETTER_SUMMARY)).proposals

    # "the proposed reforms" proposes nothing; the aims' "1) … 2)" is in no proposal; the
    # next-step paragraph is offered as a next step already.
    assert [(p.paragraph, p.score) for p in proposals] == [(2, 0.5), (3, 0.9), (3, 0.9)]
    assert all(not p.sub_items for p in proposals if p.paragraph != 3)


def test_suggest_entities_offers_no_proposals_beside_a_recommendation_list() -> None:
    text = LETTER_SUMMARY.replace(
        "### **Informal Meeting Summary**",
        "### **Informal Meeting Summary**\n\nRECOMMENDATIONS\n\n1. **Keep notes private:** Mediators keep them.\n\n"
        "UNOFFICIAL SUMMARY OF THE DISCUSSION\n",
    )
    result = parse_summary(text)

    assert len(result.recommendations) == 1
    assert suggest_entities(result).proposals == []
