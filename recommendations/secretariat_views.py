"""The secretariat's screen that promotes a proposal inside paragraphs to a recommendation."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Convening
from organizations.access import secretariat_required

from .forms import PromoteForm
from .services import PromotionRefused, recommendation_promote

_SELECTION_LIMIT = 5000


@secretariat_required
@require_http_methods(["GET", "POST"])
def recommendation_promote_view(request: HttpRequest, slug: str) -> HttpResponse:
    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
    if request.method == "POST":
        form = PromoteForm(request.POST, convening=convening)
        if form.is_valid():
            try:
                recommendation = recommendation_promote(
                    paragraphs=list(form.cleaned_data["paragraphs"]),
                    headline=form.cleaned_data["headline"],
                    body=form.cleaned_data["body"],
                    user=request.user,
                )
            except PromotionRefused as exc:
                form.add_error(None, exc.message)
            else:
                sources = ", ".join(f"¶{p.number}" for p in form.cleaned_data["paragraphs"])
                messages.success(
                    request,
                    _("%(ref)s was created from %(sources)s.") % {"ref": recommendation.reference, "sources": sources},
                )
                url = reverse("secretariat:convening", kwargs={"slug": convening.slug})
                return redirect(f"{url}#{recommendation.anchor}")
    else:
        form = PromoteForm(initial=_promote_initial(request.GET, convening), convening=convening)
    return render(request, "recommendations/promote.html", {"convening": convening, "form": form})


def _promote_initial(query: QueryDict, convening: Convening) -> dict[str, Any]:
    numbers = [int(n) for n in query.getlist("paragraphs") if n.isdigit()]
    paragraphs = list(convening.paragraphs.filter(number__in=numbers).order_by("number"))
    selected = " ".join(query.get("text", "")[:_SELECTION_LIMIT].split())
    body = selected or "\n\n".join(p.text for p in paragraphs)
    return {"paragraphs": paragraphs, "headline": _first_sentence(body), "body": body}


def _first_sentence(text: str, limit: int = 200) -> str:
    plain = " ".join(re.sub(r"\[\^\d+\]|[*_`#>]", "", text).split())
    match = re.search(r"^(.+?[.;:!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
