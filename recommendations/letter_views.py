"""Sign-on letters: the list, one letter with its signatories, and the sign/withdraw actions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from . import endorsement_selectors as selectors
from .endorsement_views import endorse_or_sign, withdraw
from .models import Letter


class LetterListView(ListView[Letter]):
    template_name = "recommendations/letter_list.html"
    context_object_name = "letters"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Letter]:
        return selectors.letter_list(user=self.request.user)


class LetterDetailView(DetailView[Letter]):
    template_name = "recommendations/letter_detail.html"
    context_object_name = "letter"

    def get_object(self, queryset: QuerySet[Letter] | None = None) -> Letter:
        try:
            return selectors.letter_detail(user=self.request.user, slug=self.kwargs["slug"])
        except Letter.DoesNotExist as exc:
            raise Http404("No such letter") from exc


def _letter(request: HttpRequest, slug: str) -> Letter:
    return get_object_or_404(Letter.objects.visible_to(request.user), slug=slug)


@require_POST
def letter_sign(request: HttpRequest, slug: str) -> HttpResponseBase:
    return endorse_or_sign(request, _letter(request, slug))


@require_POST
def letter_withdraw(request: HttpRequest, slug: str) -> HttpResponseBase:
    return withdraw(request, _letter(request, slug))
