"""Forms of the import screens. Every failure a person can cause becomes a form error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from events.models import Convening, Participation
from organizations.models import Organization

from .readers import (
    SUPPORTED_EXTENSIONS,
    UPLOAD_LIMIT_MB,
    DocumentError,
    check_document,
    check_size,
    read_document,
    text_from_paste,
)
from .services import ImportMetadata

# Read by a task (importing/tasks.py), always: how long a PDF or a Word file takes depends on
# what it holds (pages of layout analysis, paragraphs through python-docx), not on its size in
# bytes, so no size threshold would keep a slow one out of the request. Text files are decoded
# in milliseconds up to the upload limit and stay in the request.
READ_IN_BACKGROUND = (".docx", ".pdf")


def _drafts() -> QuerySet[Convening]:
    return Convening.objects.filter(status=Convening.Status.DRAFT).order_by("-start_date", "title")


class DraftChoiceField(forms.ModelChoiceField[Convening]):
    def label_from_instance(self, obj: Convening) -> str:
        return f"{obj.code} · {obj.title[:90]}"


class ImportSourceForm(forms.Form):
    """Step 1: the document, pasted or uploaded. A Word or PDF upload that passes the cheap checks
    (size, type, what it expands to) comes out as ``upload`` bytes to be read in the background;
    anything else as the ``source`` text."""

    text = forms.CharField(
        label=_("Paste the summary (plain text or Markdown)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_("%(types)s, at most %(limit)s MB. A scanned PDF has no text to read: upload the original.")
        % {"types": ", ".join(SUPPORTED_EXTENSIONS), "limit": UPLOAD_LIMIT_MB},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )
    into = DraftChoiceField(
        label=_("Import into"),
        queryset=Convening.objects.none(),
        required=False,
        empty_label=_("A new draft"),
        help_text=_("Choose an existing draft to update it in place; the preview shows what would change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _drafts()  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        pasted = cleaned.get("text") or ""
        if self.errors:
            return cleaned
        try:
            if upload is not None:
                if pasted.strip():
                    raise forms.ValidationError(_("Paste the text or upload a file, not both."))
                check_size(upload.size or 0)  # before reading: a huge upload is never loaded
                data = upload.read()
                cleaned["filename"] = upload.name or ""
                if check_document(filename=cleaned["filename"], data=data) in READ_IN_BACKGROUND:
                    cleaned["upload"], cleaned["source"] = data, None
                else:
                    cleaned["source"] = read_document(filename=cleaned["filename"], data=data)
            else:
                cleaned["source"] = text_from_paste(pasted)
                cleaned["filename"] = ""
        except DocumentError as exc:
            raise forms.ValidationError(exc.message) from exc
        return cleaned


class ImportConfirmForm(forms.ModelForm[Convening]):
    """Step 2: the metadata as recognised, corrected by staff, and the text carried over from step 1."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    # The Word file had tracked changes or comments: the text is the one with all changes accepted.
    accepted_changes_only = forms.BooleanField(required=False, widget=forms.HiddenInput)
    into = DraftChoiceField(
        label=_("Import into"),
        queryset=Convening.objects.none(),
        required=False,
        empty_label=_("A new draft"),
    )
    convenors = forms.ModelMultipleChoiceField(
        label=_("Convenors"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    new_convenors = forms.CharField(
        label=_("Convenors not listed yet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One organization name per line; each is added as an unverified organization."),
    )
    convenor_visibility = forms.ChoiceField(
        label=_("Convenors are shown"),
        choices=Participation.Visibility.choices,
        initial=Participation.Visibility.PUBLIC,
    )

    class Meta:
        model = Convening
        fields = [
            "title",
            "summary_title",
            "kind",
            "start_date",
            "end_date",
            "city",
            "venue",
            "country",
            "host_conference",
            "rule",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _drafts()  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["convenors"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]  # a ModelChoiceField
        # The parser may not recognise the kind: staff choose it rather than inherit a default.
        self.fields["kind"].choices = [("", "---------"), *Convening.Kind.choices]  # type: ignore[attr-defined]  # a ChoiceField

    def clean_text(self) -> str:
        try:
            return text_from_paste(self.cleaned_data["text"])
        except DocumentError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_new_convenors(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["new_convenors"].splitlines()]
        names = [name for name in names if name]
        limit = Organization._meta.get_field("name").max_length or 200
        too_long = [name for name in names if len(name) > limit]
        if too_long:
            raise forms.ValidationError(_("Organization names have at most %(limit)s characters.") % {"limit": limit})
        return names

    def metadata(self, *, sha256: str) -> ImportMetadata:
        data = self.cleaned_data
        return ImportMetadata(
            title=data["title"],
            start_date=data["start_date"],
            kind=data["kind"],
            end_date=data["end_date"],
            summary_title=data["summary_title"],
            city=data["city"],
            venue=data["venue"],
            country=data["country"],
            host_conference=data["host_conference"],
            rule=data["rule"],
            convenors=list(data["convenors"]),
            new_convenors=data["new_convenors"],
            convenor_visibility=data["convenor_visibility"],
            source_sha256=sha256,
        )
