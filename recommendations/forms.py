"""The endorsement form, shared by recommendations and letters (a signature is an endorsement)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .services import COMMENT_MAX_LENGTH, SIGNATORY_MAX_LENGTH


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
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
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
