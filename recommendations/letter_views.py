"""Sign-on letters: the list, one letter with its signatories, and the sign/withdraw actions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView

from gsx_portal.exports import CHUNK, about_list, export_response

from . import endorsement_selectors as selectors
from . import exports
from .endorsement_views import endorse_or_sign, withdraw
from .models import Letter
from .version_selectors import compare, text_versions


class LetterListView(ListView[Letter]):
    template_name = "recommendations/letter_list.html"
    context_object_name = "letters"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Letter]:
        return selectors.letter_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Signing straight from the list, for the letters open for signatures now.
        letters = [letter for letter in context["letters"] if letter.is_open_for_signatures()]
        quick = selectors.quick_endorsement(user=self.request.user, rows=letters, signing=True)
        for letter in letters:
            letter.quick_free = quick.free(letter.pk) if quick else []  # read by the template
        context["quick"] = quick
        return context


class LetterOpenListView(LetterListView):
    """The menu's "Open for signature": the letters taking signatures today."""

    def get_queryset(self) -> QuerySet[Letter]:
        open_now = selectors.letters_open_for_signature(user=self.request.user).values("pk")
        return selectors.letter_list(user=self.request.user).filter(pk__in=open_now).order_by("closes_on", "title")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "open_for_signature": True}


@require_GET
def letter_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    letters = selectors.letter_list(user=request.user, with_recommendations=True)
    about = about_list(title=_("Sign-on letters"), path=reverse("recommendations:letter_list"))
    return export_response(
        table=exports.LETTERS, items=letters.iterator(chunk_size=CHUNK), about=about, extension=extension
    )


class LetterDetailView(DetailView[Letter]):
    template_name = "recommendations/letter_detail.html"
    context_object_name = "letter"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        letter = self.object
        return {
            **super().get_context_data(**kwargs),
            "versions": text_versions(letter, "body"),
            "next_states": [(s, Letter.State(s).label) for s in Letter.TRANSITIONS.get(letter.state, ())],
        }

    def get_object(self, queryset: QuerySet[Letter] | None = None) -> Letter:
        try:
            return selectors.letter_detail(user=self.request.user, slug=self.kwargs["slug"])
        except Letter.DoesNotExist as exc:
            raise Http404("No such letter") from exc


@require_GET
def letter_versions(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The letter's text versions, and the words changed between two of them (default: the last two)."""
    letter = _letter(request, slug)
    versions = text_versions(letter, "body")
    comparison = compare(versions, request.GET.get("from"), request.GET.get("to"))
    return render(
        request,
        "recommendations/letter_versions.html",
        {"letter": letter, "versions": versions, "comparison": comparison},
    )


def _letter(request: HttpRequest, slug: str) -> Letter:
    return get_object_or_404(Letter.objects.visible_to(request.user), slug=slug)


@require_POST
def letter_sign(request: HttpRequest, slug: str) -> HttpResponseBase:
    return endorse_or_sign(request, _letter(request, slug))


@require_POST
def letter_withdraw(request: HttpRequest, slug: str) -> HttpResponseBase:
    return withdraw(request, _letter(request, slug))
