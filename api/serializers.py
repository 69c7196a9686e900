"""The API's JSON shapes. Field names are part of the contract (docs/api.md): add, never rename.

Organizations are named only where the page names them: endorsers and signatories through
``Endorsement.visible_to``, participants through ``Participation.visible_to``, next-step and
response owners through ``events.selectors`` (the one naming rule). Nothing here reads a
relation that those rules did not filter.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Convening, NextStep, Participation
from organizations.models import Organization
from recommendations.models import Addressee, Letter, RecommendationLink, Status, StatusUpdate


def absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field(
    {"type": "string", "format": "uri", "example": "https://portal.example.org/convenings/csd-2017-vienna/r/2/"}
)
class PermalinkField(serializers.Field):
    """A read-only, absolute URL of the object's page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "The object's page on the portal, a stable link to cite.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return absolute(self.context, value.get_absolute_url())


class ThemeRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable identifier of the theme.", read_only=True)
    name = serializers.CharField(help_text="The theme's name.", read_only=True)


class AddresseeRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable identifier of the addressee.", read_only=True)
    name = serializers.CharField(help_text="Who is asked to act.", read_only=True)
    group = serializers.ChoiceField(choices=Addressee.Group.choices, help_text="The kind of addressee.", read_only=True)


class OrganizationRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable identifier of the organization.", read_only=True)
    name = serializers.CharField(help_text="The organization's name.", read_only=True)


class ConveningRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Citable code of the convening, e.g. CSD-2017-VIE.", read_only=True)
    slug = serializers.CharField(read_only=True, help_text="The convening's identifier in portal URLs.")
    title = serializers.CharField(read_only=True, help_text="The convening's title.")
    start_date = serializers.DateField(read_only=True, help_text="First day of the convening.")


class SubItemSerializer(serializers.Serializer):
    letter = serializers.CharField(help_text="The sub-item's letter (a, b, c …).", read_only=True)
    # The prefetch of a recommendation's sub-items caches the recommendation on each: no query.
    reference = serializers.CharField(help_text="Citable reference, e.g. CSD-2017-VIE/R2.b.", read_only=True)
    text = serializers.CharField(help_text="Markdown; footnote markers as [^1].", read_only=True)


class ResponseSummarySerializer(serializers.Serializer):
    addressee = AddresseeRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text="Where this addressee stands.")
    due_date = serializers.DateField(allow_null=True, read_only=True, help_text="When a response is due, if set.")


class RecommendationSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True, help_text="Citable reference, e.g. CSD-2017-VIE/R2.")
    permalink = PermalinkField()
    api_url = serializers.SerializerMethodField(help_text="This recommendation in the API.")
    convening = ConveningRefSerializer(read_only=True)
    number = serializers.IntegerField(read_only=True, help_text="Number within its convening.")
    headline = serializers.CharField(read_only=True, help_text="The recommendation's headline.")
    body = serializers.CharField(read_only=True, help_text="Markdown; footnote markers as [^1].")
    status = serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text="Derived from the addressees' responses (docs/architecture.md, 'Endorsing, history and status').",
    )
    sub_items = SubItemSerializer(many=True, read_only=True)
    themes = ThemeRefSerializer(many=True, read_only=True)
    addressees = AddresseeRefSerializer(many=True, read_only=True)
    responses = ResponseSummarySerializer(many=True, read_only=True, help_text="Each addressee's own status.")
    endorsement_count = serializers.IntegerField(
        read_only=True, help_text="Active endorsements, counted whether or not the organization is named."
    )
    # The list reads them from ``api.selectors.attach_recurrence``; the detail overrides the getters.
    restates = serializers.SerializerMethodField(help_text="References of the earlier recommendations it restates.")
    restated_by = serializers.SerializerMethodField(help_text="References of the later ones restating it.")
    times_asked = serializers.SerializerMethodField(help_text="How often it was asked, its restatements included.")
    first_asked = serializers.SerializerMethodField(help_text="The date it was first asked (its chain's first).")

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, recommendation: Any) -> str:
        return absolute(self.context, f"/api/v1/recommendations/{recommendation.reference}/")

    def get_restates(self, recommendation: Any) -> list[str]:
        return list(recommendation.recurrence_row.restates)

    def get_restated_by(self, recommendation: Any) -> list[str]:
        return list(recommendation.recurrence_row.restated_by)

    def get_times_asked(self, recommendation: Any) -> int:
        return int(recommendation.recurrence_row.times_asked)

    @extend_schema_field({"type": "string", "format": "date"})
    def get_first_asked(self, recommendation: Any) -> str:
        return str(recommendation.recurrence_row.first_asked.isoformat())


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True, help_text="When it happened (as claimed).")
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text="The status claimed.")
    addressee = AddresseeRefSerializer(read_only=True, allow_null=True, help_text="Whose status; null: all of them.")
    source = serializers.ChoiceField(choices=StatusUpdate.Source.choices, read_only=True, help_text="Who says so.")
    note = serializers.CharField(read_only=True, help_text="The public note.")
    public_reason = serializers.CharField(read_only=True, help_text="The public reason for the change.")
    evidence_url = serializers.CharField(read_only=True, help_text="A link to the evidence, or empty.")
    evidence_file = serializers.SerializerMethodField(help_text="The evidence file's download address, or null.")

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_evidence_file(self, update: StatusUpdate) -> str | None:
        return absolute(self.context, f"/tracking/evidence/{update.pk}/") if update.evidence_file else None


class ResponseSerializer(serializers.Serializer):
    addressee = AddresseeRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text="Where this addressee stands.")
    claimed_by = serializers.CharField(read_only=True, help_text="The source of the latest update, or empty.")
    owner = OrganizationRefSerializer(read_only=True, allow_null=True, help_text="Who follows it up, if named.")
    due_date = serializers.DateField(allow_null=True, read_only=True, help_text="When a response is due.")
    overdue = serializers.BooleanField(read_only=True, help_text="Past its due date and not settled.")


class EndorserSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer(read_only=True)
    signatory_name = serializers.CharField(read_only=True, help_text="Who signed for the organization.")
    signatory_title = serializers.CharField(read_only=True, help_text="The signatory's title.")
    comment = serializers.CharField(read_only=True, help_text="The organization's comment, if any.")
    created_at = serializers.DateTimeField(read_only=True, help_text="When it endorsed or signed.")


class RecommendationDetailSerializer(RecommendationSerializer):
    responses = ResponseSerializer(many=True, read_only=True, source="response_rows", help_text="Per addressee.")
    timeline = TimelineEntrySerializer(many=True, read_only=True, help_text="Status updates, newest first.")
    endorsers = EndorserSerializer(many=True, read_only=True, help_text="The endorsers this reader may see named.")
    unnamed_endorsement_count = serializers.IntegerField(
        source="unnamed_count", read_only=True, help_text="Endorsements counted whose organizations are not named."
    )
    superseded_by = serializers.SerializerMethodField(help_text="Reference of the recommendation that supersedes it.")

    def get_superseded_by(self, recommendation: Any) -> str | None:
        later = recommendation.recurrence.superseded_by
        return later[0].reference if later else None

    def get_restates(self, recommendation: Any) -> list[str]:
        return [r.reference for r in recommendation.recurrence.linked(RecommendationLink.Kind.RESTATES, outgoing=True)]

    def get_restated_by(self, recommendation: Any) -> list[str]:
        return [r.reference for r in recommendation.recurrence.linked(RecommendationLink.Kind.RESTATES, outgoing=False)]

    def get_times_asked(self, recommendation: Any) -> int:
        return int(recommendation.recurrence.times_asked)

    @extend_schema_field({"type": "string", "format": "date"})
    def get_first_asked(self, recommendation: Any) -> str:
        first = recommendation.recurrence.first or recommendation
        return str(first.convening.start_date.isoformat())


class ThemeSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text="Stable identifier.")
    name = serializers.CharField(read_only=True, help_text="The theme's name.")
    description = serializers.CharField(read_only=True, help_text="What the theme covers.")
    recommendation_count = serializers.IntegerField(read_only=True, help_text="Recommendations on this theme.")
    permalink = PermalinkField()


class AddresseeSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text="Stable identifier; the `addressee` filter takes it.")
    name = serializers.CharField(read_only=True, help_text="Who is asked to act.")
    group = serializers.ChoiceField(choices=Addressee.Group.choices, read_only=True, help_text="The kind of addressee.")
    recommendation_count = serializers.IntegerField(read_only=True, help_text="Recommendations addressed to it.")


class OrganizationSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text="Stable identifier.")
    name = serializers.CharField(read_only=True, help_text="The organization's name.")
    acronym = serializers.CharField(read_only=True, help_text="Its acronym, or empty.")
    kind = serializers.ChoiceField(choices=Organization.Kind.choices, read_only=True, help_text="What it is.")
    country = serializers.CharField(read_only=True, help_text="Where it is based.")
    region = serializers.CharField(read_only=True, help_text="Its region, or empty.")
    website = serializers.CharField(read_only=True, help_text="Its website, or empty.")
    description = serializers.CharField(read_only=True, help_text="What it does.")
    verified = serializers.BooleanField(source="is_verified", read_only=True, help_text="Verified by the secretariat.")
    themes = ThemeRefSerializer(many=True, read_only=True)
    permalink = PermalinkField()


class SessionSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True, help_text="Position in the summary.")
    title = serializers.CharField(read_only=True, help_text="The session's title.")


class ParagraphSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="Numbers run on across sessions.")
    session = serializers.IntegerField(
        source="session_order", read_only=True, allow_null=True, help_text="The `order` of its session, or null."
    )
    text = serializers.CharField(read_only=True, help_text="Markdown; footnote markers as [^1].")
    promoted_to = serializers.SerializerMethodField(help_text="References of recommendations drawn from it.")

    def get_promoted_to(self, paragraph: Any) -> list[str]:
        return [r.reference for r in paragraph.promoted_recommendations.all()]


class FootnoteSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="The footnote's number.")
    text = serializers.CharField(read_only=True, help_text="The footnote.")


class KeyThemeSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True, help_text="Position in the list.")
    text = serializers.CharField(read_only=True, help_text="The key theme.")


class NextStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True, help_text="Position in the list.")
    text = serializers.CharField(read_only=True, help_text="The commitment.")
    owners = OrganizationRefSerializer(many=True, read_only=True, source="named_owners", help_text="Named owners.")
    due_date = serializers.DateField(allow_null=True, read_only=True, help_text="When it is due, if set.")
    state = serializers.ChoiceField(choices=NextStep.State.choices, read_only=True, help_text="Where it stands.")


class ParticipationSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Participation.Role.choices, read_only=True, help_text="Its part.")


class ConveningSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Citable code, e.g. CSD-2017-VIE.")
    slug = serializers.CharField(read_only=True, help_text="The convening's identifier in portal URLs.")
    title = serializers.CharField(read_only=True, help_text="The convening's title.")
    kind = serializers.ChoiceField(choices=Convening.Kind.choices, read_only=True, help_text="What kind of meeting.")
    series = serializers.CharField(read_only=True, help_text="The series, e.g. GSX.")
    start_date = serializers.DateField(read_only=True, help_text="First day.")
    end_date = serializers.DateField(read_only=True, allow_null=True, help_text="Last day, if several.")
    city = serializers.CharField(read_only=True, help_text="City.")
    country = serializers.CharField(read_only=True, help_text="Country.")
    region = serializers.CharField(read_only=True, help_text="Region, or empty.")
    host_conference = serializers.CharField(read_only=True, help_text="The conference it sat beside.")
    recommendation_count = serializers.IntegerField(read_only=True, help_text="Its recommendations.")
    permalink = PermalinkField()
    api_url = serializers.SerializerMethodField(help_text="This convening in full, in the API.")

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, convening: Convening) -> str:
        return absolute(self.context, f"/api/v1/convenings/{convening.code}/")


class ConveningRecommendationSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True, help_text="Citable reference.")
    number = serializers.IntegerField(read_only=True, help_text="Number within the convening.")
    headline = serializers.CharField(read_only=True, help_text="The headline.")
    body = serializers.CharField(read_only=True, help_text="Markdown.")
    status = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text="The derived status.")
    sub_items = SubItemSerializer(many=True, read_only=True)
    themes = ThemeRefSerializer(many=True, read_only=True)
    endorsement_count = serializers.IntegerField(read_only=True, help_text="Active endorsements, named or not.")
    permalink = PermalinkField()


class ConveningDetailSerializer(ConveningSerializer):
    venue = serializers.CharField(read_only=True, help_text="Venue.")
    summary_title = serializers.CharField(read_only=True, help_text="The summary's own title.")
    overview = serializers.CharField(read_only=True, help_text="Markdown.")
    disclaimer = serializers.CharField(read_only=True, help_text="The summary's disclaimer.")
    rule = serializers.ChoiceField(choices=Convening.Rule.choices, read_only=True, help_text="The rule it ran under.")
    key_themes = KeyThemeSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    footnotes = FootnoteSerializer(many=True, read_only=True)
    recommendations = ConveningRecommendationSerializer(many=True, read_only=True)
    next_steps = NextStepSerializer(many=True, read_only=True)
    participations = ParticipationSerializer(
        many=True, read_only=True, help_text="The participants this reader may see."
    )


class LetterSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text="Stable identifier.")
    title = serializers.CharField(read_only=True, help_text="The letter's title.")
    addressee = AddresseeRefSerializer(read_only=True, allow_null=True)
    body = serializers.CharField(read_only=True, help_text="Markdown.")
    state = serializers.ChoiceField(choices=Letter.State.choices, read_only=True, help_text="Where it stands.")
    opens_on = serializers.DateField(read_only=True, allow_null=True, help_text="Opens for signatures.")
    closes_on = serializers.DateField(read_only=True, allow_null=True, help_text="Closes for signatures.")
    sent_on = serializers.DateField(read_only=True, allow_null=True, help_text="When it was sent.")
    recommendations = serializers.SerializerMethodField(help_text="References of the recommendations it cites.")
    signature_count = serializers.IntegerField(read_only=True, help_text="Active signatures, named or not.")
    signatories = EndorserSerializer(many=True, read_only=True, help_text="Signatories this reader may see named.")
    permalink = PermalinkField()

    def get_recommendations(self, letter: Any) -> list[str]:
        return [r.reference for r in letter.visible_recommendations]


class EndorsementSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer(read_only=True)
    recommendation = serializers.SerializerMethodField(help_text="Reference of the recommendation, or null.")
    letter = serializers.SerializerMethodField(help_text="Slug of the letter signed, or null.")
    signatory_name = serializers.CharField(read_only=True, help_text="Who signed for the organization.")
    signatory_title = serializers.CharField(read_only=True, help_text="The signatory's title.")
    comment = serializers.CharField(read_only=True, help_text="The organization's comment, if any.")
    created_at = serializers.DateTimeField(read_only=True, help_text="When.")

    def get_recommendation(self, endorsement: Any) -> str | None:
        return endorsement.recommendation.reference if endorsement.recommendation_id else None

    def get_letter(self, endorsement: Any) -> str | None:
        return endorsement.letter.slug if endorsement.letter_id else None


class RootSerializer(serializers.Serializer):
    convenings = serializers.URLField(read_only=True)
    recommendations = serializers.URLField(read_only=True)
    organizations = serializers.URLField(read_only=True)
    themes = serializers.URLField(read_only=True)
    addressees = serializers.URLField(read_only=True)
    letters = serializers.URLField(read_only=True)
    endorsements = serializers.URLField(read_only=True)
    schema = serializers.URLField(read_only=True)
    docs = serializers.URLField(read_only=True)
