"""The secretariat's forms about a convening: its header, and who took part."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .models import Convening, Participation


class DateInput(forms.DateInput):
    input_type = "date"


class ConveningHeaderForm(forms.ModelForm[Convening]):
    """The header fields of a convening. The code is citable: once published it is frozen."""

    class Meta:
        model = Convening
        fields = [
            "title",
            "code",
            "kind",
            "series",
            "start_date",
            "end_date",
            "city",
            "venue",
            "country",
            "host_conference",
            "summary_title",
            "rule",
            "disclaimer",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "disclaimer": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_published:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Frozen once published: references cite it.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class ParticipationAddForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), widget=forms.HiddenInput
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Participation.Role.choices, initial=Participation.Role.PARTICIPANT
    )
    # Confidential unless chosen otherwise: forgetting must never expose someone at risk.
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Participation.Visibility.choices, initial=Participation.Visibility.CONFIDENTIAL
    )


class ParticipationChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Participation.Role.choices)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Participation.Visibility.choices)


class OrganizationSearchForm(forms.Form):
    org_q = forms.CharField(label=_("Find an organization in the directory"), max_length=100, required=False)
