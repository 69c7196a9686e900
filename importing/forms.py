"""Forms of the import screens. Every failure a person can cause becomes a form error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from events.models import Convening, Participation
from organizations.models import Organization
from recommendations.models import Addressee, Recommendation, Theme

from .parser import ParseResult
from .parser.result import ParsedRecommendation
from .readers import (
    SUPPORTED_EXTENSIONS,
    UPLOAD_LIMIT_MB,
    DocumentError,
    check_document,
    check_size,
    read_document,
    text_from_paste,
)
from .selectors import ImportSuggestions, RestatementCandidate, TagSuggestion
from .services import (
    AcceptedOwner,
    AcceptedParticipant,
    AcceptedProposal,
    AcceptedRestatement,
    AcceptedSuggestions,
    ImportMetadata,
)

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
        # As a participation's own default: forgetting to choose must never expose anyone.
        initial=Participation.Visibility.CONFIDENTIAL,
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


# --------------------------------------------------------------------------------------------
# The suggestions of the preview, to accept or change
# --------------------------------------------------------------------------------------------

# Of a recommendation's suggested themes (addressees), at most this many are ticked at first: the
# best one from TAG_FIRST_SCORE, the others from TAG_MORE_SCORE (a lexicon word met once scores
# about 0.25: offered, not ticked). Measured on the Vienna seed: every recommendation gets its
# main theme, seven their addressees.
TAGS_TICKED, TAG_FIRST_SCORE, TAG_MORE_SCORE = 3, 0.3, 0.5
SECTIONS = ("tags", "participants", "owners", "proposals")


@dataclass(frozen=True)
class TagChoice:
    """A theme or addressee checkbox, with the suggestion that put it forward (None: not suggested)."""

    widget: BoundWidget
    suggestion: TagSuggestion | None


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: ParsedRecommendation
    themes: list[TagChoice]
    other_themes: list[TagChoice]
    addressees: list[TagChoice]
    other_addressees: list[TagChoice]
    theme_errors: list[str] = field(default_factory=list)
    addressee_errors: list[str] = field(default_factory=list)
    restates: RestatementCandidate | None = None
    restates_field: Any = None  # the bound "it restates it" checkbox, beside the candidate


class SuggestionsForm(forms.Form):
    """The preview's suggestions: as offered (the initial values), and as staff accepted and changed
    them. Fields carry the recommendation's number (``themes-3``) or the suggestion's position
    (``participants`` lists the accepted ones, ``participant-2-role``); a position or a value the
    preview did not offer (a tampered form, an old page) is a form error, never a 500."""

    prefix = "s"

    def __init__(
        self,
        data: Any = None,
        *,
        suggestions: ImportSuggestions,
        result: ParseResult,
        into: Convening | None = None,
        user: Any = None,
    ) -> None:
        super().__init__(data)
        self.suggestions, self.result, self.user = suggestions, result, user
        entities = suggestions.entities
        existing = _existing(into)
        self._add_tag_fields(existing)
        self._add_restates_fields()
        self._add_named_fields("participant", entities.participants, existing)
        self._add_named_fields("owner", entities.next_step_owners, existing)
        self._add_proposal_fields(existing)

    # --- building ------------------------------------------------------------------------

    def _add_tag_fields(self, existing: _Existing) -> None:
        themes = [(t.slug, t.name) for t in Theme.objects.order_by("name")]
        addressees = [(a.slug, a.name) for a in Addressee.objects.order_by("name")]
        for rec in self.result.recommendations:
            for kind, choices, suggested in (
                ("themes", themes, self.suggestions.themes.get(rec.number, [])),
                ("addressees", addressees, self.suggestions.addressees.get(rec.number, [])),
            ):
                known = existing.tags.get((kind, rec.number))
                initial = known if known is not None else _ticked(suggested)
                self.fields[f"{kind}-{rec.number}"] = forms.MultipleChoiceField(
                    label=_("Themes") if kind == "themes" else _("Addressees"),
                    choices=choices,
                    required=False,
                    initial=initial,
                    widget=forms.CheckboxSelectMultiple,
                )

    def _add_restates_fields(self) -> None:
        # Never ticked at first, nor by "accept all": a link is public once both are published,
        # so a person says it, not the score.
        for number, candidate in self.suggestions.restates.items():
            self.fields[f"restates-{number}"] = forms.MultipleChoiceField(
                label=_("Restates"),
                choices=[(str(candidate.id), _("Yes, it restates %(reference)s") % {"reference": candidate.reference})],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def _add_named_fields(self, kind: str, found: Sequence[Any], existing: _Existing) -> None:
        self.fields[f"{kind}s"] = forms.MultipleChoiceField(
            choices=[(str(i), s.name) for i, s in enumerate(found)],
            required=False,
            initial=[str(i) for i in range(len(found))],
            widget=forms.CheckboxSelectMultiple,
        )
        for i, suggestion in enumerate(found):
            new_label = _("A new organization")
            self.fields[f"{kind}-{i}-organization"] = forms.ChoiceField(
                label=_("Organization"),
                choices=[("", new_label), *((str(e.id), e.name) for e in suggestion.candidates)],
                required=False,
                initial=str(suggestion.organization.id) if suggestion.organization else "",
            )
            self.fields[f"{kind}-{i}-name"] = forms.CharField(
                label=_("Name, if a new organization"),
                max_length=Organization._meta.get_field("name").max_length,
                required=False,
                initial=suggestion.name,
            )
            if kind == "participant":
                known = existing.participations.get(suggestion.organization.id if suggestion.organization else 0)
                self.fields[f"{kind}-{i}-role"] = forms.ChoiceField(
                    label=_("Role"),
                    choices=Participation.Role.choices,
                    initial=known[0] if known else suggestion.role,
                )
                self.fields[f"{kind}-{i}-visibility"] = forms.ChoiceField(
                    label=_("Shown"),
                    choices=Participation.Visibility.choices,
                    # Confidential unless staff choose otherwise: forgetting must never expose anyone.
                    initial=known[1] if known else Participation.Visibility.CONFIDENTIAL,
                )

    def _add_proposal_fields(self, existing: _Existing) -> None:
        proposals = self.suggestions.entities.proposals
        made = {i: existing.proposals.get((p.paragraph, p.body.strip())) for i, p in enumerate(proposals)}
        self.fields["proposals"] = forms.MultipleChoiceField(
            choices=[(str(i), p.headline) for i, p in enumerate(proposals)],
            required=False,
            initial=[str(i) for i, p in enumerate(proposals) if p.ticked or made[i] is not None],
            widget=forms.CheckboxSelectMultiple,
        )
        for i, proposal in enumerate(proposals):
            self.fields[f"proposal-{i}-headline"] = forms.CharField(
                label=_("Headline"),
                max_length=Recommendation._meta.get_field("headline").max_length,
                required=False,
                initial=made[i] or proposal.headline,
            )

    # --- reading -------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in ("participant", "owner"):
            for i in cleaned.get(f"{kind}s", []):
                if not cleaned.get(f"{kind}-{i}-organization") and not (cleaned.get(f"{kind}-{i}-name") or "").strip():
                    self.add_error(f"{kind}-{i}-name", _("Give the new organization's name, or choose one."))
        for i in cleaned.get("proposals", []):
            if not " ".join((cleaned.get(f"proposal-{i}-headline") or "").split()):
                self.add_error(f"proposal-{i}-headline", _("A recommendation needs a headline."))
        return cleaned

    def accepted(self) -> AcceptedSuggestions | None:
        """What was accepted, or None (with the reason as a form error) when an organization
        chosen is gone. Call after ``is_valid()``."""
        data = self.cleaned_data
        numbers = [rec.number for rec in self.result.recommendations]
        themes = {t.slug: t for t in Theme.objects.filter(slug__in=_chosen(data, "themes", numbers))}
        addressees = {a.slug: a for a in Addressee.objects.filter(slug__in=_chosen(data, "addressees", numbers))}
        wanted = {
            int(data[f"{kind}-{i}-organization"])
            for kind in ("participant", "owner")
            for i in data.get(f"{kind}s", [])
            if data.get(f"{kind}-{i}-organization")
        }
        organizations = Organization.objects.visible_to(self.user).in_bulk(wanted)
        if wanted - organizations.keys():
            self.add_error(None, _("An organization chosen no longer exists; choose again."))
            return None
        owners = self.suggestions.entities.next_step_owners
        proposals = self.suggestions.entities.proposals
        confirmed = {n: c for n, c in self.suggestions.restates.items() if data.get(f"restates-{n}")}
        earlier = Recommendation.objects.visible_to(self.user).in_bulk([c.id for c in confirmed.values()])
        if {c.id for c in confirmed.values()} - earlier.keys():
            self.add_error(None, _("A recommendation it was to restate no longer exists; preview again."))
            return None
        return AcceptedSuggestions(
            restates={
                n: AcceptedRestatement(candidate=earlier[c.id], score=c.score, shared=tuple(c.shared))
                for n, c in confirmed.items()
            },
            themes={n: [themes[s] for s in data.get(f"themes-{n}", []) if s in themes] for n in numbers},
            addressees={
                n: [addressees[s] for s in data.get(f"addressees-{n}", []) if s in addressees] for n in numbers
            },
            participants=[
                AcceptedParticipant(
                    role=data[f"participant-{i}-role"],
                    visibility=data[f"participant-{i}-visibility"],
                    **self._named(data, "participant", i, organizations),
                )
                for i in data.get("participants", [])
            ],
            owners=[
                AcceptedOwner(next_step=owners[int(i)].next_step, **self._named(data, "owner", i, organizations))
                for i in data.get("owners", [])
            ],
            proposals=[
                AcceptedProposal(
                    paragraph=proposals[int(i)].paragraph,
                    headline=" ".join(data[f"proposal-{i}-headline"].split()),
                    body=proposals[int(i)].body,
                    sub_items=tuple((s.letter, s.text) for s in proposals[int(i)].sub_items),
                )
                for i in data.get("proposals", [])
            ],
        )

    @staticmethod
    def _named(data: dict[str, Any], kind: str, i: str, organizations: dict[int, Organization]) -> dict[str, Any]:
        chosen = data.get(f"{kind}-{i}-organization")
        if chosen:
            return {"organization": organizations[int(chosen)]}
        return {"name": " ".join(data[f"{kind}-{i}-name"].split())}

    # --- offering again --------------------------------------------------------------------

    def initial_data(self) -> QueryDict:
        """The suggestions as offered, as a form would post them: "accept all" binds these."""
        data = QueryDict(mutable=True)
        for name, form_field in self.fields.items():
            value = self.get_initial_for_field(form_field, name)
            key = self.add_prefix(name)
            if isinstance(value, list):
                data.setlist(key, [str(v) for v in value])
            elif value is not None:
                data[key] = str(value)
        return data

    def section_data(self, data: QueryDict, *, section: str, accept: bool) -> QueryDict:
        """``data`` with every suggestion of ``section`` accepted (the tags as offered, every
        participant, owner and proposal), or none of them."""
        data = data.copy()
        offered = self.initial_data()
        if section == "tags":
            numbers = [rec.number for rec in self.result.recommendations]
            for key in (self.add_prefix(f"{kind}-{n}") for n in numbers for kind in ("themes", "addressees")):
                data.setlist(key, offered.getlist(key) if accept else [])
            return data
        key = self.add_prefix(section)
        data.setlist(key, [value for value, _label in self.fields[section].choices] if accept else [])  # type: ignore[attr-defined]  # a ChoiceField
        return data

    # --- showing ---------------------------------------------------------------------------

    def recommendation_rows(self) -> list[RecommendationRow]:
        rows = []
        for rec in self.result.recommendations:
            themes, other_themes = self._tag_choices(
                f"themes-{rec.number}", self.suggestions.themes.get(rec.number, [])
            )
            addressees, other_addressees = self._tag_choices(
                f"addressees-{rec.number}", self.suggestions.addressees.get(rec.number, [])
            )
            theme_errors, addressee_errors = (
                [str(e) for e in self[f"{kind}-{rec.number}"].errors] for kind in ("themes", "addressees")
            )
            candidate = self.suggestions.restates.get(rec.number)
            rows.append(
                RecommendationRow(
                    rec,
                    themes,
                    other_themes,
                    addressees,
                    other_addressees,
                    theme_errors=theme_errors,
                    addressee_errors=addressee_errors,
                    restates=candidate,
                    restates_field=self[f"restates-{rec.number}"] if candidate else None,
                )
            )
        return rows

    def _tag_choices(self, name: str, suggested: Sequence[TagSuggestion]) -> tuple[list[TagChoice], list[TagChoice]]:
        by_slug = {s.slug: s for s in suggested}
        widgets = {w.data["value"]: w for w in self[name].subwidgets}
        first = [TagChoice(widgets[s.slug], s) for s in suggested if s.slug in widgets]
        chosen = set(self[name].value() or [])
        # A tag chosen though not suggested (an earlier import's, or picked below) shows with them.
        first += [TagChoice(w, None) for slug, w in widgets.items() if slug in chosen and slug not in by_slug]
        rest = [TagChoice(w, None) for slug, w in widgets.items() if slug not in by_slug and slug not in chosen]
        return first, rest

    def participant_rows(self) -> list[dict[str, Any]]:
        return self._named_rows("participant")

    def owner_rows(self) -> list[dict[str, Any]]:
        return self._named_rows("owner")

    def _named_rows(self, kind: str) -> list[dict[str, Any]]:
        """Each participant (``kind`` "participant") or next-step owner ("owner") with its fields."""
        found = (
            self.suggestions.entities.participants
            if kind == "participant"
            else self.suggestions.entities.next_step_owners
        )
        accept = {w.data["value"]: w for w in self[f"{kind}s"].subwidgets}
        rows = []
        for i, suggestion in enumerate(found):
            fields = {
                name: self[f"{kind}-{i}-{name}"]
                for name in ("organization", "name", "role", "visibility")
                if f"{kind}-{i}-{name}" in self.fields
            }
            rows.append({"suggestion": suggestion, "accept": accept[str(i)], **fields})
        return rows

    def proposal_rows(self) -> list[dict[str, Any]]:
        accept = {w.data["value"]: w for w in self["proposals"].subwidgets}
        return [
            {"suggestion": p, "accept": accept[str(i)], "headline": self[f"proposal-{i}-headline"]}
            for i, p in enumerate(self.suggestions.entities.proposals)
        ]


@dataclass(frozen=True)
class _Existing:
    """What a draft imported into has already: the preview starts from it, so that importing
    the same document again offers what is there."""

    tags: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    participations: dict[int, tuple[str, str]] = field(default_factory=dict)  # organization id → (role, visibility)
    proposals: dict[tuple[int, str], str] = field(default_factory=dict)  # (paragraph, body) → headline


def _existing(into: Convening | None) -> _Existing:
    if into is None:
        return _Existing()
    tags: dict[tuple[str, int], list[str]] = {}
    for number, slug in Recommendation.objects.filter(convening=into, themes__isnull=False).values_list(
        "number", "themes__slug"
    ):
        tags.setdefault(("themes", number), []).append(slug)
    for number, slug in Recommendation.objects.filter(convening=into, addressees__isnull=False).values_list(
        "number", "addressees__slug"
    ):
        tags.setdefault(("addressees", number), []).append(slug)
    participations = {
        org: (role, visibility)
        for org, role, visibility in into.participations.values_list("organization_id", "role", "visibility")
    }
    proposals = {
        (paragraph, body): headline
        for paragraph, body, headline in Recommendation.objects.filter(
            convening=into, source_paragraphs__isnull=False
        ).values_list("source_paragraphs__number", "body", "headline")
    }
    return _Existing(tags=tags, participations=participations, proposals=proposals)


def _ticked(suggested: Sequence[TagSuggestion]) -> list[str]:
    return [
        s.slug
        for i, s in enumerate(suggested[:TAGS_TICKED])
        if s.score >= (TAG_FIRST_SCORE if i == 0 else TAG_MORE_SCORE)
    ]


def _chosen(data: dict[str, Any], kind: str, numbers: list[int]) -> set[str]:
    return {slug for n in numbers for slug in data.get(f"{kind}-{n}", [])}
