from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import VIENNA, seed_text
from events.models import Convening, Paragraph, Participation
from events.tests.factories import ConveningFactory, ParagraphFactory, SessionFactory
from importing.parser import parse_summary
from importing.readers import MAX_UPLOAD_BYTES
from importing.services import ImportMetadata, convening_import, source_sha256
from importing.tests.documents import NO_NUMBERING, SMALL_SUMMARY, SMALL_SUMMARY_CORRECTED
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Recommendation
from recommendations.services import recommendation_promote
from recommendations.tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _draft(text: str = SMALL_SUMMARY, **kwargs: Any) -> Convening:
    result = parse_summary(text)
    metadata = ImportMetadata.from_result(result, source_sha256=source_sha256(text))
    return convening_import(result=result, metadata=metadata, user=None, **kwargs)


def _upload(client: Client, upload: SimpleUploadedFile, capture: Any) -> Any:
    """Upload a Word or PDF file and open the page it leads to once the read task has run."""
    with capture(execute=True):
        posted = client.post(reverse("secretariat:import"), {"file": upload})
    assert posted.status_code == 302, posted.content.decode()[:500]
    return client.get(posted["Location"])


def _confirm_data(text: str, **overrides: str) -> dict[str, str]:
    data = {
        "text": text,
        "title": "Roundtable on Neighbourhood Mediation",
        "summary_title": "Informal Meeting Summary",
        "kind": "roundtable",
        "start_date": "2019-03-04",
        "end_date": "",
        "city": "Nairobi",
        "venue": "",
        "country": "Kenya",
        "host_conference": "",
        "rule": "chatham_house",
        "convenor_visibility": "public",
        "new_convenors": "",
        "into": "",
        "action": "create",
    }
    data.update(overrides)
    return data


# --- access -----------------------------------------------------------------------------------

GET_PAGES = ["secretariat:index", "secretariat:import", "secretariat:convening", "secretariat:promote"]


def _url(name: str, convening: Convening) -> str:
    if name in ("secretariat:convening", "secretariat:promote", "secretariat:publish"):
        return reverse(name, kwargs={"slug": convening.slug})
    return reverse(name)


@pytest.mark.parametrize("name", GET_PAGES)
def test_secretariat_pages_send_anonymous_visitors_to_sign_in(client: Client, name: str) -> None:
    convening = ConveningFactory.create()

    response = client.get(_url(name, convening))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["cso_member", "donor", "unverified_member"], indirect=True)
@pytest.mark.parametrize("name", [*GET_PAGES, "secretariat:import_confirm", "secretariat:publish"])
def test_secretariat_pages_are_not_found_outside_the_secretariat(persona: User, name: str) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    client = _client_for(persona)

    get = client.get(_url(name, convening))
    post = client.post(_url(name, convening), _confirm_data(SMALL_SUMMARY))

    assert (get.status_code, post.status_code) == (404, 404)
    assert Convening.objects.count() == 1
    assert Convening.objects.get().status == Convening.Status.DRAFT


@pytest.mark.parametrize("name", GET_PAGES)
def test_secretariat_pages_open_for_staff(secretariat: User, name: str) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    ParagraphFactory.create(convening=convening, session=SessionFactory.create(convening=convening))

    response = _client_for(secretariat).get(_url(name, convening))

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["secretariat:import_confirm", "secretariat:publish"])
def test_state_changes_refuse_get(secretariat: User, name: str) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    response = _client_for(secretariat).get(_url(name, convening))

    assert response.status_code == 405


def test_import_confirm_requires_csrf_token(secretariat: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)

    response = client.post(reverse("secretariat:import_confirm"), _confirm_data(SMALL_SUMMARY))

    assert response.status_code == 403
    assert Convening.objects.count() == 0


# --- paste or upload → preview ----------------------------------------------------------------


def test_import_page_states_the_upload_limit(secretariat: User) -> None:
    response = _client_for(secretariat).get(reverse("secretariat:import"))

    assert f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB" in response.content.decode()


def test_import_paste_shows_counts_without_saving(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": seed_text(VIENNA)})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="recommendations">13<' in html
    assert 'data-count="sub_items">18<' in html
    assert 'data-count="paragraphs">31<' in html
    assert 'data-count="footnotes">2<' in html
    assert Convening.objects.count() == 0


def test_import_preview_prefills_the_recognised_metadata(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": seed_text(VIENNA)})

    form = response.context["form"]
    assert form.initial["kind"] == "civil_society_day"
    assert str(form.initial["start_date"]) == "2017-05-25"
    assert (form.initial["city"], form.initial["venue"]) == ("Vienna", "Hofburg")


def test_import_preview_lists_problems_with_line_and_excerpt(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": NO_NUMBERING})

    problem, excerpt = response.context["problems"][0]
    html = response.content.decode()
    assert "No numbering was found" in problem.message
    assert excerpt == NO_NUMBERING.split("\n")[problem.line - 1].strip()
    assert f'<td class="num">{problem.line}</td>' in html
    assert excerpt in html


def test_import_problems_and_refusals_speak_the_reader_s_language(secretariat: User) -> None:
    client = _client_for(secretariat)

    preview = client.post(reverse("secretariat:import"), {"text": NO_NUMBERING}, HTTP_ACCEPT_LANGUAGE="fr")
    refused = client.post(
        reverse("secretariat:import"),
        {"file": SimpleUploadedFile("program.exe", b"MZ\x90\x00")},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    problem, _excerpt = preview.context["problems"][0]
    assert problem.message.startswith("Aucune numérotation trouvée")
    assert "Aucune numérotation trouvée" in preview.content.decode()
    assert "Файлы «.exe» не поддерживаются" in refused.content.decode()
    assert Convening.objects.count() == 0


def _scan_pdf() -> bytes:
    svg = '<svg width="400" height="300" xmlns="http://www.w3.org/2000/svg"><rect width="380" height="280"/></svg>'
    return bytes(weasyprint.HTML(string=svg).write_pdf())


BAD_UPLOADS = [
    ("empty.txt", b"", "The submitted file is empty."),
    ("junk.txt", bytes(range(256)) * 40, "binary data"),
    ("huge.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "over the 5 MB limit"),
    ("program.exe", b"MZ\x90\x00", "not supported"),
]


@pytest.mark.parametrize(("filename", "data", "message"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_import_bad_upload_explains_and_creates_nothing(
    secretariat: User, filename: str, data: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(filename, data)

    response = _client_for(secretariat).post(reverse("secretariat:import"), {"file": upload})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Convening.objects.count() == 0


def test_import_pdf_without_text_layer_explains_and_creates_nothing(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("scan.pdf", _scan_pdf(), content_type="application/pdf")

    response = _upload(_client_for(secretariat), upload, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "no text layer" in response.content.decode()
    assert Convening.objects.count() == 0


def test_import_empty_paste_explains_and_creates_nothing(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": "  \n "})

    assert response.status_code == 200
    assert "Nothing was pasted" in response.content.decode()
    assert Convening.objects.count() == 0


def test_import_paste_over_the_limit_explains_and_creates_nothing(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": "a" * (MAX_UPLOAD_BYTES + 1)})

    assert response.status_code == 200
    assert "over the 5 MB limit" in response.content.decode()
    assert Convening.objects.count() == 0


def test_import_paste_and_file_together_is_refused(secretariat: User) -> None:
    upload = SimpleUploadedFile("summary.txt", SMALL_SUMMARY.encode())

    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": SMALL_SUMMARY, "file": upload})

    assert "not both" in response.content.decode()


def test_import_upload_of_a_text_file_previews(secretariat: User) -> None:
    upload = SimpleUploadedFile("summary.md", SMALL_SUMMARY.encode())

    response = _client_for(secretariat).post(reverse("secretariat:import"), {"file": upload})

    assert response.context["counts"]["paragraphs"] == 2
    assert response.context["form"].initial["text"].startswith("Roundtable on Neighbourhood Mediation")


# --- confirm → draft --------------------------------------------------------------------------


def test_import_confirm_creates_the_draft_and_redirects_to_it(secretariat: User) -> None:
    organization = OrganizationFactory.create(name="Mediators United")
    data = _confirm_data(SMALL_SUMMARY, convenors=str(organization.pk), new_convenors="Neighbours Network\n")

    response = _client_for(secretariat).post(reverse("secretariat:import_confirm"), data)

    convening = Convening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("secretariat:convening", kwargs={"slug": convening.slug})
    assert convening.status == Convening.Status.DRAFT
    assert list(convening.paragraphs.values_list("number", flat=True)) == [1, 2]
    assert convening.source_sha256 == source_sha256(SMALL_SUMMARY)
    assert sorted(p.organization.name for p in convening.participations.filter(role=Participation.Role.CONVENOR)) == [
        "Mediators United",
        "Neighbours Network",
    ]


def test_import_confirm_takes_edited_metadata(secretariat: User) -> None:
    data = _confirm_data(SMALL_SUMMARY, title="Mediation in Practice", kind="workshop", venue="Town Hall")

    _client_for(secretariat).post(reverse("secretariat:import_confirm"), data)

    convening = Convening.objects.get()
    assert (convening.title, convening.kind, convening.venue, convening.code) == (
        "Mediation in Practice",
        "workshop",
        "Town Hall",
        "WS-2019-NAI",
    )


def test_import_confirm_of_text_without_numbering_imports_paragraphs(secretariat: User) -> None:
    data = _confirm_data(NO_NUMBERING, title="Workshop on Local Radio", kind="workshop", start_date="2018-10-09")

    _client_for(secretariat).post(reverse("secretariat:import_confirm"), data)

    assert list(Paragraph.objects.values_list("number", flat=True)) == [1, 2]


def test_import_confirm_with_update_preview_action_saves_nothing(secretariat: User) -> None:
    response = _client_for(secretariat).post(
        reverse("secretariat:import_confirm"), _confirm_data(SMALL_SUMMARY, action="preview")
    )

    assert response.status_code == 200
    assert response.context["counts"]["paragraphs"] == 2
    assert Convening.objects.count() == 0


def test_import_confirm_with_invalid_metadata_explains_and_saves_nothing(secretariat: User) -> None:
    data = _confirm_data(SMALL_SUMMARY, start_date="", end_date="2019-03-01", kind="")

    response = _client_for(secretariat).post(reverse("secretariat:import_confirm"), data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"start_date", "kind"}
    assert Convening.objects.count() == 0


def test_import_confirm_with_end_before_start_explains(secretariat: User) -> None:
    data = _confirm_data(SMALL_SUMMARY, end_date="2019-03-01")

    response = _client_for(secretariat).post(reverse("secretariat:import_confirm"), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Convening.objects.count() == 0


def test_import_confirm_without_text_sends_back_to_the_start(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import_confirm"), _confirm_data(""))

    assert response.status_code == 302
    assert response["Location"] == reverse("secretariat:import")
    assert Convening.objects.count() == 0


# --- re-import --------------------------------------------------------------------------------


def test_import_same_text_again_offers_the_earlier_draft(secretariat: User) -> None:
    draft = _draft(SMALL_SUMMARY)

    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": SMALL_SUMMARY})

    assert response.context["into"] == draft
    assert response.context["diff"].has_changes is False
    assert "nothing would change" in response.content.decode()


def test_import_into_draft_shows_changes_then_updates_in_place(secretariat: User) -> None:
    draft = _draft(SMALL_SUMMARY)
    paragraph_ids = list(draft.paragraphs.order_by("number").values_list("pk", flat=True))
    client = _client_for(secretariat)

    preview = client.post(reverse("secretariat:import"), {"text": SMALL_SUMMARY_CORRECTED, "into": draft.pk})
    client.post(
        reverse("secretariat:import_confirm"),
        _confirm_data(SMALL_SUMMARY_CORRECTED, into=str(draft.pk), title=draft.title),
    )

    paragraphs = next(p for p in preview.context["diff"].parts if p.part == "paragraphs")
    assert (paragraphs.added, paragraphs.changed) == (["¶3"], ["¶2"])
    assert 'data-part="paragraphs"' in preview.content.decode()
    assert Convening.objects.count() == 1
    assert list(draft.paragraphs.order_by("number").values_list("pk", flat=True))[:2] == paragraph_ids
    assert draft.paragraphs.count() == 3


def test_import_into_published_convening_is_not_offered(secretariat: User) -> None:
    published = _draft(SMALL_SUMMARY, publish=True)

    response = _client_for(secretariat).post(
        reverse("secretariat:import_confirm"), _confirm_data(SMALL_SUMMARY_CORRECTED, into=str(published.pk))
    )

    assert "into" in response.context["form"].errors
    assert published.paragraphs.count() == 2
    assert Convening.objects.count() == 1


def test_import_of_text_already_published_warns(secretariat: User) -> None:
    published = _draft(SMALL_SUMMARY, publish=True)

    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": SMALL_SUMMARY})

    assert response.context["previous"] == published
    assert response.context["into"] is None
    assert "which is published" in response.content.decode()


# --- the staff page, promote and publish ------------------------------------------------------


def test_promote_form_is_prefilled_from_the_selection(secretariat: User) -> None:
    draft = _draft(SMALL_SUMMARY)
    url = reverse("secretariat:promote", kwargs={"slug": draft.slug})

    response = _client_for(secretariat).get(url, {"paragraphs": "2", "text": "Publish a shared handbook. For all."})

    initial = response.context["form"].initial
    assert initial["headline"] == "Publish a shared handbook."
    assert initial["body"] == "Publish a shared handbook. For all."
    assert [p.number for p in initial["paragraphs"]] == [2]


def test_promote_creates_recommendation_shown_on_both_sides(secretariat: User) -> None:
    draft = _draft(SMALL_SUMMARY)
    client = _client_for(secretariat)

    response = client.post(
        reverse("secretariat:promote", kwargs={"slug": draft.slug}),
        {"paragraphs": ["2"], "headline": "Publish a shared handbook for mediators", "body": "For every programme."},
    )
    page = client.get(reverse("secretariat:convening", kwargs={"slug": draft.slug})).content.decode()

    rec = Recommendation.objects.get(convening=draft)
    assert response.status_code == 302
    assert response["Location"].endswith("#r1")
    assert [p.number for p in rec.source_paragraphs.all()] == [2]
    assert 'Came from <a href="#p2">¶2</a>' in page
    assert "Promoted to R1" in page


def test_promote_without_paragraph_explains_and_creates_nothing(secretariat: User) -> None:
    draft = _draft(SMALL_SUMMARY)

    response = _client_for(secretariat).post(
        reverse("secretariat:promote", kwargs={"slug": draft.slug}), {"headline": "A headline", "body": ""}
    )

    assert response.status_code == 200
    assert "paragraphs" in response.context["form"].errors
    assert Recommendation.objects.count() == 0


def test_publish_publishes_the_draft(secretariat: User) -> None:
    draft = _draft(SMALL_SUMMARY)

    response = _client_for(secretariat).post(reverse("secretariat:publish", kwargs={"slug": draft.slug}))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Convening.Status.PUBLISHED


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_secretariat_list_query_count_is_constant(
    secretariat: User, django_assert_max_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        convening = ConveningFactory.create()
        ParagraphFactory.create(convening=convening)
        RecommendationFactory.create(convening=convening)
    client = _client_for(secretariat)

    # 4, one for the session's second-factor device (django-otp) that every staff request loads,
    # and one per entry provider of the worklist (drafts, next steps, untagged, letters, organizations).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("secretariat:index"))

    assert len(response.context["convenings"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_secretariat_convening_page_query_count_is_constant(
    secretariat: User, django_assert_max_num_queries: Any, count: int
) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    session = SessionFactory.create(convening=convening)
    paragraphs = [ParagraphFactory.create(convening=convening, session=session) for _ in range(count)]
    for paragraph in paragraphs:
        recommendation_promote(paragraphs=[paragraph], headline="A proposal", body="", user=None)
    client = _client_for(secretariat)

    with django_assert_max_num_queries(14):  # 13, and the second-factor device
        response = client.get(reverse("secretariat:convening", kwargs={"slug": convening.slug}))

    assert response.content.decode().count("Promoted to R") == count


# --- limits: over-large pastes answer with the form ----------------------------------------


def test_import_paste_over_the_limit_names_the_pasted_text_not_a_file(secretariat: User) -> None:
    response = _client_for(secretariat).post(reverse("secretariat:import"), {"text": "a" * (6 * 1024 * 1024)})

    content = response.content.decode()
    assert "The pasted text is 6.0 MB, over the 5 MB limit" in content
    assert "The file is" not in content


def test_import_paste_over_the_request_limit_answers_with_the_form(secretariat: User) -> None:
    client = _client_for(secretariat)
    client.handler.enforce_csrf_checks = True  # as a browser: the too-big answer must not need the token

    response = client.post(reverse("secretariat:import"), {"text": "a" * (11 * 1024 * 1024)})

    content = response.content.decode()
    assert response.status_code == 413
    assert "What was sent is 11.0 MB: pasted text can be at most 5 MB" in content
    assert 'name="text"' in content and Convening.objects.count() == 0


def test_over_large_post_elsewhere_is_still_refused(secretariat: User) -> None:
    """Only views marked answers_data_too_big are turned into a GET; others keep Django's 400."""
    response = _client_for(secretariat).post(reverse("secretariat:import_confirm"), {"text": "a" * (11 * 1024 * 1024)})

    assert response.status_code == 400


# --- what the reading tells ------------------------------------------------------------------


def test_import_of_a_word_file_with_tracked_changes_says_accepted_changes_only(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    from importing.tests.corpus import word_docx

    upload = SimpleUploadedFile("vienna.docx", word_docx(seed_text(VIENNA), tracked=True))
    client = _client_for(secretariat)

    response = _upload(client, upload, django_capture_on_commit_callbacks)

    assert response.context["accepted_changes_only"] is True
    assert "Accepted changes only" in response.content.decode()
    assert response.context["counts"]["recommendations"] == 13
    # Carried to the confirm step: a preview shown again still says so.
    again = client.post(
        reverse("secretariat:import_confirm"),
        {**_confirm_data(response.context["form"].initial["text"]), "accepted_changes_only": "True", "title": ""},
    )
    assert again.context["accepted_changes_only"] is True


def test_import_of_a_word_file_without_tracked_changes_says_nothing_of_them(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    from importing.tests.corpus import word_docx

    upload = SimpleUploadedFile("vienna.docx", word_docx(seed_text(VIENNA)))

    response = _upload(_client_for(secretariat), upload, django_capture_on_commit_callbacks)

    assert response.context["accepted_changes_only"] is False
    assert "Accepted changes only" not in response.content.decode()
