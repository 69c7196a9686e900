"""The endorsement form, shared by recommendations and letters (a signature is an endorsement), and
the form that promotes a proposal inside paragraphs to a recommendation, and the convening editor's."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Convening, Paragraph
from gsx_portal.clock import portal_today
from organizations.models import Organization

from . import validators
from .models import Addressee, Recommendation, Status, StatusUpdate, Theme
from .services import COMMENT_MAX_LENGTH, LETTER_BODY_MAX_LENGTH, SIGNATORY_MAX_LENGTH, TagChange


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


# --- The convening editor: bulk actions and the inline form of one recommendation ----------
# One HTML form holds every bulk action and each button submits all of their fields: the browser
# must not refuse a submission over another action's empty required field (the server checks
# the fields of the action chosen), so these forms render no ``required`` attribute.


class BulkSelectionForm(forms.Form):
    """Which recommendations a bulk action applies to: the ticked rows, or all of the convening's."""

    use_required_attribute = False  # one HTML form holds every bulk action (see above)

    TICKED, ALL = "ticked", "all"

    selected = forms.ModelMultipleChoiceField(
        label=_("Selected recommendations"), queryset=Recommendation.objects.none(), required=False
    )
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[(TICKED, _("the ticked recommendations")), (ALL, _("all recommendations of this convening"))],
        initial=TICKED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, convening: Convening, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.convening = convening
        # Only this convening's rows: a tampered id of another convening is "not a valid choice".
        self.fields["selected"].queryset = convening.recommendations.order_by("number")  # type: ignore[attr-defined]  # a ModelMultipleChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == self.TICKED and "selected" in cleaned and not cleaned["selected"]:
            raise forms.ValidationError(_("Tick at least one recommendation, or apply to all of them."))
        return cleaned

    def recommendations(self) -> list[Recommendation]:
        if self.cleaned_data["scope"] == self.ALL:
            return list(self.convening.recommendations.select_related("convening").order_by("number"))
        return list(self.cleaned_data["selected"].select_related("convening"))


class TagChangeForm(forms.Form):
    """One change to themes or addressees, chosen from one list: "Add theme: Youth" is one choice."""

    use_required_attribute = False  # one HTML form holds every bulk action (see above)

    change = forms.ChoiceField(label=_("Change"), choices=())

    def __init__(self, *args: Any, themes: list[Theme], addressees: list[Addressee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in themes}
        self.addressees = {str(a.pk): a for a in addressees}
        # The page renders these groups itself: a widget's template per option is most of the page's time.
        self.placeholder = _("Choose a change…")
        self.groups: list[tuple[Any, list[tuple[str, str]]]] = [
            (_("Add theme"), [(f"theme+:{t.pk}", _("Add theme: %(name)s") % {"name": t}) for t in themes]),
            (_("Remove theme"), [(f"theme-:{t.pk}", _("Remove theme: %(name)s") % {"name": t}) for t in themes]),
            (
                _("Add addressee"),
                [(f"addressee+:{a.pk}", _("Add addressee: %(name)s") % {"name": a}) for a in addressees],
            ),
            (
                _("Remove addressee"),
                [(f"addressee-:{a.pk}", _("Remove addressee: %(name)s") % {"name": a}) for a in addressees],
            ),
        ]
        self.fields["change"].choices = [("", self.placeholder), *self.groups]  # type: ignore[attr-defined]  # a ChoiceField

    def tag_change(self) -> TagChange:
        kind, pk = self.cleaned_data["change"].split(":", 1)
        if kind == "theme+":
            return TagChange(add_themes=(self.themes[pk],))
        if kind == "theme-":
            return TagChange(remove_themes=(self.themes[pk],))
        if kind == "addressee+":
            return TagChange(add_addressees=(self.addressees[pk],))
        return TagChange(remove_addressees=(self.addressees[pk],))


class OwnerForm(forms.Form):
    use_required_attribute = False  # one HTML form holds every bulk action (see above)
    owner = forms.ModelChoiceField(
        label=_("Followed up by"), queryset=Organization.objects.order_by("name"), empty_label=_("Choose…")
    )


class BulkStatusForm(forms.Form):
    """One recommendation-wide status update for every selected recommendation."""

    use_required_attribute = False  # one HTML form holds every bulk action (see above)

    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(
        label=_("Source of the claim"), choices=StatusUpdate.Source.choices, initial=StatusUpdate.Source.SECRETARIAT
    )
    public_reason = forms.CharField(
        label=_("Public reason"), max_length=500, help_text=_("Shown in each recommendation's public history.")
    )
    note = forms.CharField(
        label=_("Public note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.CharField(
        label=_("Evidence link"),
        required=False,
        max_length=200,
        validators=[validators.validate_http_url],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(self, *args: Any, convening: Convening, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.convening = convening
        self.fields["date"].initial = portal_today()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        validators.validate_not_in_future(value, today=portal_today())
        validators.validate_not_before_convening(value, convening=self.convening)
        return value


class RecommendationEditForm(forms.Form):
    """The editor's inline form of one recommendation."""

    headline = forms.CharField(label=_("Headline"), max_length=500)
    body = forms.CharField(
        label=_("Body"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    addressees = forms.ModelMultipleChoiceField(
        label=_("Addressees"),
        queryset=Addressee.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_headline(self) -> str:
        headline = " ".join(self.cleaned_data["headline"].split())
        if not headline:
            raise forms.ValidationError(_("The recommendation needs a headline."))
        return headline


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


class LetterEditForm(LetterForm):
    """The secretariat's edit of a draft or circulating letter (recommendations.services.letter_update)."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        required=False,
        help_text=_("Required while the letter circulates for inputs: it is shown with the new version."),
    )
