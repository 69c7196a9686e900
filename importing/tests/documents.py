"""Small documents written for the import tests (the seed summaries come from conftest)."""

from __future__ import annotations

# Written for these tests: a roundtable with two numbered paragraphs and one proposal in each.
SMALL_SUMMARY = """\
Roundtable on Neighbourhood Mediation

4 March 2019, Nairobi

Informal Meeting Summary

1. Participants compared how neighbourhood mediators are trained and paid, and noted that most
programmes end when their first grant does.
2. One proposal was to publish a shared handbook for mediators; another was to ask donors for
three-year funding.
"""

# The same meeting after the secretariat corrected it: paragraph 2 reworded, paragraph 3 added.
SMALL_SUMMARY_CORRECTED = """\
Roundtable on Neighbourhood Mediation

4 March 2019, Nairobi

Informal Meeting Summary

1. Participants compared how neighbourhood mediators are trained and paid, and noted that most
programmes end when their first grant does.
2. One proposal was to publish an open handbook for mediators; another was to ask donors for
multi-year funding.
3. The co-chairs will circulate this summary to participants.
"""

NO_NUMBERING = """\
Workshop on Local Radio

9 October 2018, Tunis

The workshop heard from three community radio stations about their listeners.

Participants agreed that call-in shows build trust faster than lectures do.
"""
