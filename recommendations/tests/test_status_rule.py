"""The derived status rule, over every combination of addressee statuses."""

from __future__ import annotations

import itertools

import pytest

from recommendations.models import Status
from recommendations.status_rule import STAGES, derive_status

P, C, S, A = Status.PROPOSED, Status.CIRCULATING, Status.SUBMITTED, Status.ACKNOWLEDGED
IP, IM, NT, SU = Status.IN_PROGRESS, Status.IMPLEMENTED, Status.NOT_TAKEN_UP, Status.SUPERSEDED
ALL = list(Status)

# Every unordered pair of two addressees' statuses, written out by hand from the documented rule.
PAIRS: dict[frozenset[Status], Status] = {
    frozenset({P}): P, frozenset({C}): C, frozenset({S}): S, frozenset({A}): A,
    frozenset({IP}): IP, frozenset({IM}): IM, frozenset({NT}): NT, frozenset({SU}): SU,
    frozenset({P, C}): P, frozenset({P, S}): P, frozenset({P, A}): P, frozenset({P, IP}): IP,
    frozenset({P, IM}): IP, frozenset({P, NT}): P, frozenset({P, SU}): P,
    frozenset({C, S}): C, frozenset({C, A}): C, frozenset({C, IP}): IP, frozenset({C, IM}): IP,
    frozenset({C, NT}): C, frozenset({C, SU}): C,
    frozenset({S, A}): S, frozenset({S, IP}): IP, frozenset({S, IM}): IP, frozenset({S, NT}): S,
    frozenset({S, SU}): S,
    frozenset({A, IP}): IP, frozenset({A, IM}): IP, frozenset({A, NT}): A, frozenset({A, SU}): A,
    frozenset({IP, IM}): IP, frozenset({IP, NT}): IP, frozenset({IP, SU}): IP,
    frozenset({IM, NT}): IM, frozenset({IM, SU}): IM,
    frozenset({NT, SU}): NT,
}  # fmt: skip


def test_derive_status_without_addressees_is_proposed() -> None:
    assert derive_status([]) == Status.PROPOSED


@pytest.mark.parametrize(("first", "second"), list(itertools.product(ALL, repeat=2)))
def test_derive_status_for_every_pair_of_addressees(first: Status, second: Status) -> None:
    expected = PAIRS[frozenset({first, second})]

    assert derive_status([first, second]) == expected
    assert derive_status([second, first]) == expected


def test_derive_status_table_covers_every_pair() -> None:
    assert len(PAIRS) == 8 + 28


def _subsets() -> list[tuple[Status, ...]]:
    return [combo for size in range(1, 9) for combo in itertools.combinations(ALL, size)]


@pytest.mark.parametrize("statuses", _subsets(), ids=lambda s: "+".join(x.value for x in s))
def test_derive_status_for_every_set_of_statuses_follows_the_rule(statuses: tuple[Status, ...]) -> None:
    present = set(statuses)
    remaining = present - {SU}
    active = remaining - {NT}

    result = derive_status(statuses)

    if not remaining:
        assert result == SU
    elif not active:
        assert result == NT
    elif active == {IM}:
        assert result == IM
    elif active & {IP, IM}:
        assert result == IP
    else:
        assert result == min(active, key=STAGES.index)
        assert result in active


@pytest.mark.parametrize("statuses", _subsets()[:60])
def test_derive_status_ignores_order_and_repetition(statuses: tuple[Status, ...]) -> None:
    expected = derive_status(statuses)

    assert derive_status(reversed(statuses)) == expected
    assert derive_status([*statuses, *statuses]) == expected


def test_derive_status_accepts_stored_string_values() -> None:
    assert derive_status(["implemented", "in_progress"]) == Status.IN_PROGRESS
