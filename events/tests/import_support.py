"""Shared by the import tests: the seed summaries (from GSX_SEEDS_DIR) and small documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VIENNA = "003_aaad3b00fffec38f.txt"
ROUNDTABLE = "000_6909b306d0310b96.txt"

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


def seeds_dir() -> Path:
    configured = Path(os.environ.get("GSX_SEEDS_DIR") or "../shared/seeds")
    return (configured if configured.is_absolute() else REPO_ROOT / configured).resolve()


def seed_path(name: str) -> Path:
    path = seeds_dir() / name
    if not path.is_file():
        message = f"seed {name} not found in {seeds_dir()} (set GSX_SEEDS_DIR)"
        if os.environ.get("GSX_REQUIRE_SERVICES") == "1" or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def seed_text(name: str) -> str:
    return seed_path(name).read_text(encoding="utf-8")
