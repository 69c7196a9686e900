from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import NextStep
from gsx_portal.clock import portal_today
from organizations.models import Organization
from recommendations import validators
from recommendations.models import Addressee, Letter, Recommendation, Status, StatusUpdate, Theme

from .models import NextStepTracking


class DateInput(forms.DateInput):
    input_type = "date"


class StatusUpdateForm(forms.Form):
    """A status update recorded from the recommendation page: a few fields, most pre-filled."""

    addressee = forms.ModelChoiceField(
        label=_("Addressee"),
        queryset=Addressee.objects.none(),
        required=False,
        empty_label=_("All addressees"),
    )
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    source = forms.ChoiceField(
        label=_("Source of the claim"), choices=StatusUpdate.Source.choices, initial=StatusUpdate.Source.SECRETARIAT
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        max_length=500,
        help_text=_("Shown in the recommendation's public history."),
    )
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public: everyone reading the recommendation sees this note."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Secretariat only: never shown on the site, in e-mails or in exports."),
    )
    evidence_url = forms.CharField(
        label=_("Evidence link"),
        required=False,
        max_length=200,
        validators=[validators.validate_http_url],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        validators=[validators.validate_evidence_file],
        help_text=_("PDF, PNG, JPEG, DOCX or ODT, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(validators.EVIDENCE_SIGNATURES)}),
    )
    owner = forms.ModelChoiceField(
        label=_("Followed up by"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty to keep the current one."),
    )
    due_date = forms.DateField(
        label=_("Response due by"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to keep the current one."),
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.fields["addressee"].queryset = recommendation.addressees.order_by("name")  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["date"].initial = portal_today()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        validators.validate_not_in_future(value, today=portal_today())
        validators.validate_not_before_convening(value, convening=self.recommendation.convening)
        return value

    def clean_due_date(self) -> Any:
        value = self.cleaned_data.get("due_date")
        validators.validate_not_before_convening(value, convening=self.recommendation.convening)
        return value


class NextStepForm(forms.ModelForm[NextStep]):
    produces = forms.ChoiceField(label=_("Produces"), choices=NextStepTracking.Output.choices, required=False)
    letter = forms.ModelChoiceField(label=_("Letter"), queryset=Letter.objects.order_by("title"), required=False)
    brief_theme = forms.ModelChoiceField(
        label=_("Brief on theme"),
        queryset=Theme.objects.all(),
        required=False,
        help_text=_("Empty: the convening's own brief."),
    )
    reason = forms.CharField(label=_("Public reason"), max_length=100, required=False)

    class Meta:
        model = NextStep
        fields = ["state", "due_date", "owners"]
        widgets = {"due_date": DateInput, "owners": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tracking = NextStepTracking.objects.filter(next_step=self.instance).first()
        if tracking is not None:
            self.initial.update(
                {"produces": tracking.produces, "letter": tracking.letter, "brief_theme": tracking.brief_theme}
            )
        self.fields["owners"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean_due_date(self) -> Any:
        value = self.cleaned_data.get("due_date")
        validators.validate_not_before_convening(value, convening=self.instance.convening)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("produces") == NextStepTracking.Output.LETTER and not cleaned.get("letter"):
            raise ValidationError({"letter": _("Choose the letter this step produces.")})
        return cleaned


class StalledForm(forms.Form):
    """The stalled view's question: silent for how many months, optionally one addressee."""

    months = forms.IntegerField(
        label=_("No status update for at least (months)"),
        min_value=1,
        max_value=120,
        required=False,
    )
    addressee = forms.ModelChoiceField(
        label=_("Addressee"),
        queryset=Addressee.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All addressees"),
    )
