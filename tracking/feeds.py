"""Atom feeds of new recommendations and of status changes, and iCalendar feeds of dates.

Feeds are read by programs that never sign in and are shared as plain URLs, so they are built
as an anonymous reader sees the portal whoever asks: published convenings only, no draft, no
hidden participant, no endorser at all. A feed is scoped like a dashboard (everything, one
theme, addressee or convening: ``selectors.resolve_scope``) and narrowed by the recommendation
list's own query string (``RecommendationFilter``), so a saved search is a feed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gsx_portal.site import absolute_url
from recommendations.filters import RecommendationFilter
from recommendations.models import Addressee, Recommendation, StatusUpdate

from . import calendars, selectors

FEED_SIZE = 50
# Feeds ignore who asks (see the module's docstring): every read below is anonymous.
PUBLIC = None
# Parameters of the list page that do not narrow it.
NOT_FILTERS = ("page", "per_page", "sort")


class FeedSubject:
    """A feed's scope and the list filters narrowing it."""

    def __init__(self, *, scope: selectors.Scope, query: QueryDict, path: str = "") -> None:
        self.scope = scope
        self.path = path
        self.query = query.copy()
        for name in NOT_FILTERS:
            self.query.pop(name, None)
        self.filterset = RecommendationFilter(
            self.query, queryset=Recommendation.objects.visible_to(PUBLIC).listed(), request=None
        )

    def recommendations(self) -> Any:
        return selectors.feed_recommendations(scope=self.scope, filterset=self.filterset)

    def status_updates(self) -> Any:
        return selectors.feed_status_updates(scope=self.scope, filterset=self.filterset)

    @property
    def title(self) -> str:
        title = self.scope.title
        if self.filterset.values:
            title = _("%(title)s (filtered)") % {"title": title}
        return title

    def list_url(self) -> str:
        """The page that lists what the feed carries."""
        if self.scope.kind == "all":
            path = reverse("recommendations:list")
            query = self.query.urlencode()
            return f"{path}?{query}" if query else path
        if self.scope.kind == "addressee":  # an addressee's page is its dashboard
            return reverse("tracking:addressee_dashboard", args=[self.scope.slug])
        return str(self.scope.obj.get_absolute_url())


def subject_for(request: HttpRequest, kind: str, slug: str | None) -> FeedSubject:
    try:
        scope = selectors.resolve_scope(user=PUBLIC, kind=kind, slug=slug)
    except (Addressee.DoesNotExist, selectors.Convening.DoesNotExist, selectors.Theme.DoesNotExist) as exc:
        raise Http404("No such feed") from exc  # a draft convening answers as a missing one
    return FeedSubject(scope=scope, query=request.GET, path=request.get_full_path())


class StableAtom1Feed(Atom1Feed):
    """Atom whose ``<updated>`` depends on the items only: Django's says "now" for an empty feed,
    so polling it twice would give two different documents."""

    EMPTY_SINCE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

    def latest_post_date(self) -> dt.datetime:
        if not self.items:
            return self.EMPTY_SINCE
        return super().latest_post_date()


class _ScopedFeed(Feed):
    feed_type = StableAtom1Feed
    author_name = "GSX Portal"
    what = ""

    # One instance answers every request (and thread): per-request state lives in the subject.
    def get_object(self, request: HttpRequest, kind: str = "all", slug: str | None = None) -> FeedSubject:
        return subject_for(request, kind, slug)

    def link(self, subject: FeedSubject) -> str:
        return subject.list_url()

    def feed_url(self, subject: FeedSubject) -> str:
        return subject.path

    def item_author_name(self, item: Any) -> str:
        return "GSX Portal"


class RecommendationFeed(_ScopedFeed):
    """New recommendations: newest publication first."""

    def title(self, subject: FeedSubject) -> str:
        return _("New recommendations: %(title)s") % {"title": subject.title}

    def subtitle(self, subject: FeedSubject) -> str:
        return _("Recommendations of GSX convenings as they are published.")

    def items(self, subject: FeedSubject) -> list[Recommendation]:
        return list(subject.recommendations()[:FEED_SIZE])

    def item_title(self, item: Recommendation) -> str:
        return f"{item.reference} {item.headline}"

    def item_description(self, item: Recommendation) -> str:
        # The summary is HTML: the text is escaped first, so it can never carry markup.
        sub_items = "".join(f"<li>{escape(s.letter)}. {escape(s.text)}</li>" for s in item.sub_items.all())
        return linebreaks(escape(item.body)) + (f"<ol>{sub_items}</ol>" if sub_items else "")

    def item_link(self, item: Recommendation) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Recommendation) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Recommendation) -> dt.datetime:
        return item.published  # type: ignore[attr-defined]  # annotated by the selector

    def item_updateddate(self, item: Recommendation) -> dt.datetime:
        return item.published  # type: ignore[attr-defined]  # annotated by the selector

    def item_categories(self, item: Recommendation) -> list[str]:
        return [theme.name for theme in item.themes.all()]


class StatusFeed(_ScopedFeed):
    """Status changes: every public status update, newest recorded first."""

    def title(self, subject: FeedSubject) -> str:
        return _("Status changes: %(title)s") % {"title": subject.title}

    def subtitle(self, subject: FeedSubject) -> str:
        return _("Dated status updates of GSX recommendations, with their public notes and evidence.")

    def items(self, subject: FeedSubject) -> list[StatusUpdate]:
        return list(subject.status_updates()[:FEED_SIZE])

    def item_title(self, item: StatusUpdate) -> str:
        title = f"{item.recommendation.reference}: {item.get_status_display()}"
        if item.addressee is not None:
            title += f" ({item.addressee.name})"
        return title

    def item_description(self, item: StatusUpdate) -> str:
        # Public fields only: never the internal note, the evidence file or who recorded it.
        parts = [f"<p>{escape(item.recommendation.headline)}</p>"]
        parts += [linebreaks(escape(text)) for text in (item.note, item.public_reason) if text]
        if item.evidence_url:
            parts.append(f'<p><a href="{escape(item.evidence_url)}">{escape(_("Evidence"))}</a></p>')
        return "".join(parts)

    def item_link(self, item: StatusUpdate) -> str:
        return f"{item.recommendation.get_absolute_url()}#tracking"

    def item_guid(self, item: StatusUpdate) -> str:
        return absolute_url(f"{item.recommendation.get_absolute_url()}#status-update-{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: StatusUpdate) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: StatusUpdate) -> dt.datetime:
        return item.created_at


def _calendar_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
def next_steps_calendar(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    kind = "convening" if slug else "all"
    scope = subject_for(request, kind, slug).scope
    events = selectors.calendar_next_steps(convening=scope.obj)
    title = _("Next steps: %(title)s") % {"title": scope.title if slug else _("all convenings")}
    return _calendar_response(calendars.calendar_bytes(title=title, events=events), "gsx-next-steps.ics")


@require_GET
def letters_calendar(request: HttpRequest) -> HttpResponse:
    events = selectors.calendar_letters()
    body = calendars.calendar_bytes(title=_("Sign-on letters: closing dates"), events=events)
    return _calendar_response(body, "gsx-letters.ics")


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str
    content_type: str


ATOM = "application/atom+xml"
ICS = "text/calendar"


def feed_links(*, kind: str = "all", slug: str = "", query: str = "") -> list[FeedLink]:
    """The feeds a page offers, for its ``<link rel="alternate">`` and its visible links."""
    if kind == "letters":
        return [FeedLink(_("Closing dates (iCalendar)"), reverse("tracking:calendar_letters"), ICS)]
    if kind == "all":
        suffix = f"?{query}" if query else ""
        links = [
            FeedLink(_("New recommendations (Atom)"), reverse("tracking:feed_recommendations") + suffix, ATOM),
            FeedLink(_("Status changes (Atom)"), reverse("tracking:feed_status") + suffix, ATOM),
        ]
        if not query:
            links.append(FeedLink(_("Next-step due dates (iCalendar)"), reverse("tracking:calendar_next_steps"), ICS))
        return links
    links = [
        FeedLink(_("New recommendations (Atom)"), reverse(f"tracking:{kind}_feed_recommendations", args=[slug]), ATOM),
        FeedLink(_("Status changes (Atom)"), reverse(f"tracking:{kind}_feed_status", args=[slug]), ATOM),
    ]
    if kind == "convening":
        url = reverse("tracking:convening_calendar_next_steps", args=[slug])
        links.append(FeedLink(_("Next-step due dates (iCalendar)"), url, ICS))
    return links
