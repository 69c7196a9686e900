"""The forms of inputs and of their moderation and resolution. Limits are checked again by the
services, which are the rule; these give the page its field errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Input
from .services import COMMENT_MAX_LENGTH, PROPOSED_MAX_LENGTH, QUOTE_MAX_LENGTH, REASON_MAX_LENGTH


class InputForm(forms.Form):
    part = forms.CharField(widget=forms.HiddenInput, max_length=24)
    kind = forms.ChoiceField(
        label=_("Kind of input"), choices=Input.Kind.choices, initial=Input.Kind.COMMENT, widget=forms.RadioSelect
    )
    quote = forms.CharField(
        label=_("Passage (optional)"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select words in the text above, or paste them here, to comment on or reword only them."),
    )
    quote_offset = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 5,000 characters."),
    )
    proposed_text = forms.CharField(
        label=_("Proposed wording"),
        required=False,
        max_length=PROPOSED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a rewording: the words that should replace the passage (or the whole text)."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX_LENGTH)
