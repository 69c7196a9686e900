"""Links between recommendations and recurrence suggestions: services, command, page, permissions."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for, vienna_convening
from events.models import Convening
from events.services import convening_publish
from events.tests.factories import ConveningFactory
from recommendations.models import Recommendation, RecommendationLink, RecurrenceSuggestion, Status
from recommendations.selectors import recommendation_recurrence
from recommendations.services import (
    LinkRefused,
    recommendation_link_create,
    recurrence_suggestion_confirm,
    recurrence_suggestion_dismiss,
    recurrence_suggestions_compute,
)
from recommendations.similarity import RECURRENCE_THRESHOLD
from recommendations.tests.factories import RecommendationFactory, RecommendationLinkFactory, SubItemFactory
from recommendations.tests.recurrence_corpus import NEW_ASKS, RESTATEMENTS

pytestmark = pytest.mark.django_db


def second_convening(vienna: Convening) -> tuple[Convening, dict[int, Recommendation], list[Recommendation]]:
    convening = ConveningFactory.create(
        code="CSD-2019-SKP",
        slug="skopje-2019",
        city="Skopje",
        start_date=dt.date(2019, 6, 3),
        status=Convening.Status.DRAFT,
    )
    restating: dict[int, Recommendation] = {}
    new: list[Recommendation] = []
    asks = [(number, ask) for number, ask in RESTATEMENTS.items()] + [(None, ask) for ask in NEW_ASKS]
    for position, (original, (headline, body, items)) in enumerate(asks, start=1):
        recommendation = RecommendationFactory.create(
            convening=convening, number=position, headline=headline, body=body
        )
        for letter, text in zip("abcdef", items, strict=False):
            SubItemFactory.create(recommendation=recommendation, letter=letter, text=text)
        if original is None:
            new.append(recommendation)
        else:
            restating[original] = recommendation
    return convening, restating, new


def test_each_restatement_ranks_its_vienna_original_first_and_new_asks_get_nothing() -> None:
    vienna = vienna_convening()
    convening, restating, new = second_convening(vienna)

    recurrence_suggestions_compute(convening_id=convening.pk)

    for original, recommendation in restating.items():
        best = RecurrenceSuggestion.objects.filter(recommendation=recommendation).order_by("-score").first()
        assert best is not None, f"nothing suggested for the restatement of Vienna R{original}"
        assert (best.candidate.convening_id, best.candidate.number) == (vienna.pk, original)
        assert best.score > RECURRENCE_THRESHOLD
        assert best.shared
    assert not RecurrenceSuggestion.objects.filter(recommendation__in=new).exists()


def test_suggestions_come_only_from_other_convenings_and_a_rerun_changes_nothing() -> None:
    convening = ConveningFactory.create()
    a = RecommendationFactory.create(convening=convening, headline="Translate training manuals into local languages")
    RecommendationFactory.create(convening=convening, headline="Translate the training manuals into local languages")
    older = RecommendationFactory.create(headline="Training manuals translated into local languages")

    first = recurrence_suggestions_compute(convening_id=convening.pk)
    rows = list(RecurrenceSuggestion.objects.values_list("recommendation_id", "candidate_id", "score"))
    second = recurrence_suggestions_compute(convening_id=convening.pk)

    assert first == second
    assert rows == list(RecurrenceSuggestion.objects.values_list("recommendation_id", "candidate_id", "score"))
    assert {c for _r, c, _s in rows} == {older.pk}
    assert (a.pk, older.pk) in {(r, c) for r, c, _s in rows}


def test_a_dismissed_pair_is_never_suggested_again_in_either_order(secretariat) -> None:
    older = RecommendationFactory.create(headline="Fund shelters for women leaving armed groups")
    newer = RecommendationFactory.create(headline="Fund the shelters for women who leave armed groups")
    recurrence_suggestions_compute(convening_id=newer.convening_id)
    suggestion = RecurrenceSuggestion.objects.get(recommendation=newer)

    recurrence_suggestion_dismiss(suggestion=suggestion, user=secretariat)
    recurrence_suggestions_compute(convening_id=newer.convening_id)
    recurrence_suggestions_compute(convening_id=older.convening_id)

    assert list(RecurrenceSuggestion.objects.values_list("recommendation_id", "state")) == [
        (newer.pk, RecurrenceSuggestion.State.DISMISSED)
    ]


def test_confirming_links_the_later_to_the_earlier_with_history(secretariat) -> None:
    older = RecommendationFactory.create(convening__start_date=dt.date(2017, 5, 1), headline="Hear young people")
    newer = RecommendationFactory.create(convening__start_date=dt.date(2021, 5, 1), headline="Hear the young people")
    suggestion = RecurrenceSuggestion.objects.create(recommendation=older, candidate=newer, score=0.5)

    confirmed = recurrence_suggestion_confirm(suggestion=suggestion, user=secretariat)

    link = RecommendationLink.objects.get()
    assert (link.from_recommendation, link.to_recommendation, link.kind) == (newer, older, "restates")
    assert (confirmed.state, confirmed.link, confirmed.decided_by) == ("confirmed", link, secretariat)
    assert link.history.get().history_user == secretariat
    with pytest.raises(LinkRefused):
        recurrence_suggestion_confirm(suggestion=suggestion, user=secretariat)


def test_a_pair_is_linked_once_and_never_to_itself(secretariat) -> None:
    a, b = RecommendationFactory.create(), RecommendationFactory.create()
    recommendation_link_create(from_recommendation=a, to_recommendation=b, kind="builds_on", user=secretariat)

    with pytest.raises(LinkRefused):
        recommendation_link_create(from_recommendation=b, to_recommendation=a, kind="restates", user=secretariat)
    with pytest.raises(LinkRefused):
        recommendation_link_create(from_recommendation=a, to_recommendation=a, kind="restates", user=secretariat)


def test_publishing_a_convening_computes_its_suggestions(django_capture_on_commit_callbacks, monkeypatch) -> None:
    from gsx_portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # in-process on the broker's path too
    RecommendationFactory.create(headline="Protect human rights defenders who receive threats")
    draft = ConveningFactory.create(status=Convening.Status.DRAFT)
    newer = RecommendationFactory.create(convening=draft, headline="Protect the human rights defenders under threat")

    with django_capture_on_commit_callbacks(execute=True):
        convening_publish(convening=draft)

    assert RecurrenceSuggestion.objects.filter(recommendation=newer).count() == 1


def test_command_prints_the_issue_s_json_shape_computing_first() -> None:
    older = RecommendationFactory.create(headline="Digitise the land registries", convening__code="CSD-2017-OLD")
    newer = RecommendationFactory.create(headline="Digitise land registries now", convening__slug="new-one")
    out = StringIO()

    call_command("recurrence_suggestions", "--convening", "new-one", "--json", stdout=out)

    data = json.loads(out.getvalue())
    [row] = data["recommendations"]
    assert set(row) == {"reference", "number", "candidates"}
    assert (row["reference"], row["number"]) == (newer.reference, newer.number)
    [candidate] = row["candidates"]
    assert set(candidate) == {"reference", "score", "shared"}
    assert candidate["reference"] == older.reference
    assert candidate["score"] > RECURRENCE_THRESHOLD
    assert "land registries" in candidate["shared"]


def chain_of(count: int, *, status: str = Status.NOT_TAKEN_UP) -> list[Recommendation]:
    """The first ask and ``count`` restatements of it, a year apart each."""
    first = RecommendationFactory.create(convening__start_date=dt.date(2015, 5, 1), convening__city="Vienna")
    chain = [first]
    for n in range(count):
        later = RecommendationFactory.create(convening__start_date=dt.date(2016 + n, 5, 1), status=status)
        RecommendationLinkFactory.create(from_recommendation=later, to_recommendation=chain[-1])
        chain.append(later)
    return chain


def test_recommendation_page_says_how_often_it_was_asked_and_links_each(anonymous) -> None:
    chain = chain_of(2)

    response = client_for(anonymous).get(chain[1].get_absolute_url())

    html = response.content.decode()
    assert "Asked 3 times:" in html
    assert f'href="{chain[0].get_absolute_url()}"' in html
    assert f'href="{chain[2].get_absolute_url()}"' in html
    assert "status now: Not taken up" in html
    assert "Restates" in html and "Restated by" in html


def test_a_link_to_a_draft_is_never_shown_nor_counted(anonymous, secretariat) -> None:
    chain = chain_of(2)
    Convening.objects.filter(pk=chain[2].convening_id).update(status=Convening.Status.DRAFT)

    public = recommendation_recurrence(user=anonymous, recommendation=chain[1])
    staff = recommendation_recurrence(user=secretariat, recommendation=chain[1])
    html = client_for(anonymous).get(chain[1].get_absolute_url()).content.decode()

    assert (public.times_asked, [x.recommendation for x in public.links]) == (2, [chain[0]])
    assert staff.times_asked == 3
    assert chain[2].reference not in html
    assert "Asked 2 times" in html


def test_superseded_by_reads_from_links_and_keeps_its_notice(anonymous) -> None:
    older, newer = RecommendationFactory.create(), RecommendationFactory.create()
    RecommendationLinkFactory.create(from_recommendation=newer, to_recommendation=older, kind="supersedes")

    older_html = client_for(anonymous).get(older.get_absolute_url()).content.decode()
    newer_html = client_for(anonymous).get(newer.get_absolute_url()).content.decode()

    assert f'Superseded by <a href="{newer.get_absolute_url()}">{newer.reference}' in older_html
    assert "Takes over from" in newer_html and older.reference in newer_html


def queries_on(url: str, user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_recommendation_page_queries_are_constant_over_1_and_10_restatements(anonymous) -> None:
    short, long = chain_of(1), chain_of(10)

    assert queries_on(short[1].get_absolute_url(), anonymous) == queries_on(long[5].get_absolute_url(), anonymous)


# --- The secretariat's screen ------------------------------------------------------------------


def test_suggestions_screen_is_the_secretariat_s_only(anonymous, cso_member, secretariat) -> None:
    suggestion = RecurrenceSuggestion.objects.create(
        recommendation=RecommendationFactory.create(),
        candidate=RecommendationFactory.create(),
        score=0.4,
        shared=["local languages"],
    )
    url = reverse("secretariat:recurrence", kwargs={"slug": suggestion.recommendation.convening.slug})

    page = client_for(secretariat).get(url)

    assert client_for(cso_member).get(url).status_code == 404
    assert client_for(anonymous).get(url).status_code == 302
    assert page.status_code == 200
    assert suggestion.candidate.reference in page.content.decode()
    assert "local languages" in page.content.decode()


def test_confirm_and_dismiss_are_post_only_and_answer_a_bad_kind_clearly(secretariat, cso_member) -> None:
    a, b, c = (RecommendationFactory.create() for _ in range(3))
    first = RecurrenceSuggestion.objects.create(recommendation=a, candidate=b, score=0.4)
    second = RecurrenceSuggestion.objects.create(recommendation=a, candidate=c, score=0.3)
    client = client_for(secretariat)
    confirm = reverse("secretariat:recurrence_decide", kwargs={"pk": first.pk, "decision": "confirm"})
    dismiss = reverse("secretariat:recurrence_decide", kwargs={"pk": second.pk, "decision": "dismiss"})

    assert client.get(confirm).status_code == 405
    assert client_for(cso_member).post(confirm, {"kind": "restates"}).status_code == 404
    refused = client.post(confirm, {"kind": "nonsense"}, follow=True)
    client.post(confirm, {"kind": "builds_on", "note": "narrower"})
    client.post(dismiss)

    assert "Choose how the two recommendations are related." in refused.content.decode()
    assert list(RecommendationLink.objects.values_list("kind", "note")) == [("builds_on", "narrower")]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("confirmed", "dismissed")


# --- Recurring asks ----------------------------------------------------------------------------


def test_recurring_asks_groups_by_chain_most_asked_first_and_filters(anonymous) -> None:
    three, two = chain_of(2), chain_of(1, status=Status.IMPLEMENTED)
    url = reverse("recommendations:recurring")

    html = client_for(anonymous).get(url).content.decode()
    implemented = client_for(anonymous).get(url, {"status": "implemented"}).content.decode()

    assert html.index(three[2].headline) < html.index(two[1].headline)
    assert "Asked 3 times:" in html and "Asked 2 times:" in html
    assert two[1].headline in implemented and three[2].headline not in implemented


def test_recurring_asks_export_lists_each_chain_once(anonymous) -> None:
    chain = chain_of(2)

    response = client_for(anonymous).get(reverse("recommendations:recurring_csv"))

    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    rows = [line for line in text.splitlines() if chain[0].reference in line]
    assert len(rows) == 1
    assert ";".join(r.reference for r in chain).replace(";", "; ") in rows[0]


def test_recurring_asks_runs_constant_queries_over_1_and_10_chains(anonymous) -> None:
    chain_of(1)
    one = queries_on(reverse("recommendations:recurring"), anonymous)
    for _ in range(9):
        chain_of(2)

    assert queries_on(reverse("recommendations:recurring"), anonymous) == one
