"""The endorsement form, shared by recommendations and letters (a signature is an endorsement), and
the form that promotes a proposal inside paragraphs to a recommendation."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Convening, Paragraph
from organizations.models import Organization

from .models import Addressee, Recommendation
from .services import COMMENT_MAX_LENGTH, LETTER_BODY_MAX_LENGTH, SIGNATORY_MAX_LENGTH


class EndorsementForm(forms.Form):
    NAMED, COUNTED = "named", "counted"

    organization = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=SIGNATORY_MAX_LENGTH)
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=SIGNATORY_MAX_LENGTH, required=False)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 2,000 characters. Shown with your organization's name when it is named."),
    )
    visibility = forms.ChoiceField(
        label=_("How your organization appears"),
        choices=[
            (NAMED, _("Named: show our organization's name")),
            (COUNTED, _("Counted but not named: include us in the total, never show our name")),
        ],
        initial=NAMED,
        widget=forms.RadioSelect,
    )
    attested = forms.BooleanField(
        label=_("I am authorised to act on behalf of my organization"),
        error_messages={"required": _("Confirm that you are authorised to act on behalf of your organization.")},
    )

    def __init__(self, *args: Any, organizations: Any, signing: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]  # a ModelChoiceField
        only = list(organizations[:2])
        if len(only) == 1:
            self.fields["organization"].initial = only[0].pk
            names = {"organization": only[0].name}
            self.fields["attested"].label = (
                _("I am authorised to sign on behalf of %(organization)s") % names
                if signing
                else _("I am authorised to endorse on behalf of %(organization)s") % names
            )

    @property
    def is_named(self) -> bool:
        return bool(self.cleaned_data["visibility"] == self.NAMED)


class ParagraphChoiceField(forms.ModelMultipleChoiceField[Paragraph]):
    def label_from_instance(self, obj: Paragraph) -> str:
        text = re.sub(r"[*_`#>\[\]^]", "", obj.text)
        return f"¶{obj.number} — {text[:100]}{'…' if len(text) > 100 else ''}"


class PromoteForm(forms.Form):
    """A proposal inside one or more paragraphs, edited into a recommendation."""

    paragraphs = ParagraphChoiceField(
        label=_("It comes from"),
        queryset=Paragraph.objects.none(),
        # Numbers, not ids: a convening's paragraphs are cited by them, in links too (?paragraphs=4).
        to_field_name="number",
        widget=forms.CheckboxSelectMultiple,
    )
    headline = forms.CharField(label=_("Headline"), max_length=500)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Edit the paragraph's words down to the proposal."),
    )

    def __init__(self, *args: Any, convening: Convening, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paragraphs"].queryset = convening.paragraphs.order_by("number")  # type: ignore[attr-defined]  # a ModelChoiceField


class LetterForm(forms.Form):
    """A draft letter from one or more recommendations (the page's link or a bulk action)."""

    recommendations = forms.ModelMultipleChoiceField(
        label=_("Recommendations it supports"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    addressee = forms.ModelChoiceField(label=_("Addressee"), queryset=Addressee.objects.all(), required=False)
    body = forms.CharField(
        label=_("Text"),
        max_length=LETTER_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown, sanitised when shown. Up to 20,000 characters."),
    )
    opens_on = forms.DateField(
        label=_("Signatures open on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Signatures close on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, recommendations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recommendations"]
        field.queryset = recommendations  # type: ignore[attr-defined]  # a ModelChoiceField
        field.label_from_instance = lambda r: f"{r.reference} {r.headline}"  # type: ignore[attr-defined]
