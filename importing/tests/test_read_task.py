"""Word and PDF uploads are read in a task: the "reading your file" page, then the preview; a
failed or lost read says why and can be tried again; each person sees only their own reads."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import secretariat_group, totp_device_for
from events.models import Convening
from importing.models import DocumentRead
from importing.services import document_read_start
from importing.tests.bombs import docx_bomb, pdf_with_pages
from importing.tests.documents import SMALL_SUMMARY
from importing.tests.test_readers import docx_from_text
from importing.tests.test_views import _client_for, _upload
from organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _docx(text: str = SMALL_SUMMARY) -> SimpleUploadedFile:
    return SimpleUploadedFile("summary.docx", docx_from_text(text))


def _other_secretariat() -> User:
    user = UserFactory.create(username="other-staff", is_staff=True)
    user.groups.add(secretariat_group())
    totp_device_for(user)
    return user


def test_word_upload_is_read_in_the_background_then_previewed(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    response = _upload(_client_for(secretariat), _docx(), django_capture_on_commit_callbacks)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Preview of the import" in content and "Roundtable on Neighbourhood Mediation" in content
    read = DocumentRead.objects.get()
    assert read.state == DocumentRead.State.READY and read.user == secretariat
    assert bytes(read.data) == b""  # the upload is dropped once read
    assert Convening.objects.count() == 0  # nothing is saved before staff confirm


def test_reading_page_polls_with_htmx_and_works_without_javascript(secretariat: User) -> None:
    client = _client_for(secretariat)
    posted = client.post(reverse("secretariat:import"), {"file": _docx()})  # the task waits for commit
    url = posted["Location"]

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    content = page.content.decode()
    assert page.status_code == 202 and page["Retry-After"] == "2"
    assert "Reading your file…" in content
    assert f'hx-get="{url}"' in content and 'hx-trigger="every 2s"' in content
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in content
    assert f'href="{url}">Check again</a>' in content
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_ready_read_sends_htmx_to_the_preview(secretariat: User, django_capture_on_commit_callbacks: Any) -> None:
    client = _client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        url = client.post(reverse("secretariat:import"), {"file": _docx()})["Location"]

    response = client.get(url, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == url


def test_pdf_upload_is_read_in_the_background(secretariat: User, django_capture_on_commit_callbacks: Any) -> None:
    response = _upload(
        _client_for(secretariat), SimpleUploadedFile("blank.pdf", pdf_with_pages(2)), django_capture_on_commit_callbacks
    )

    assert "This PDF has no text layer" in response.content.decode()
    assert DocumentRead.objects.get().state == DocumentRead.State.FAILED


def test_bombs_are_refused_on_the_form_before_any_read(secretariat: User) -> None:
    client = _client_for(secretariat)
    for name, data, message in [
        ("bomb.docx", docx_bomb(expanded_mb=300), "This Word file expands to 300 MB; the limit is 25 MB."),
        ("long.pdf", pdf_with_pages(2000), "This PDF has 2,000 pages; the limit is 200."),
    ]:
        response = client.post(reverse("secretariat:import"), {"file": SimpleUploadedFile(name, data)})

        assert response.status_code == 200
        assert message in response.content.decode()
    assert DocumentRead.objects.count() == 0


def test_failed_read_explains_and_can_be_retried(secretariat: User, django_capture_on_commit_callbacks: Any) -> None:
    client = _client_for(secretariat)
    with override_settings(IMPORT_MAX_PARAGRAPHS=3):
        failed = _upload(client, _docx(), django_capture_on_commit_callbacks)
    read = DocumentRead.objects.get()

    content = failed.content.decode()
    assert "Your file could not be read" in content and "the limit is 3" in content
    assert "Nothing was saved, and no draft was changed." in content
    assert reverse("secretariat:import_read_retry", args=[read.pk]) in content

    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("secretariat:import_read_retry", args=[read.pk]))
    preview = client.get(retried["Location"])

    assert "Preview of the import" in preview.content.decode()
    read.refresh_from_db()
    assert (read.state, read.attempts) == (DocumentRead.State.READY, 2)


def test_lost_read_says_so_and_offers_a_retry(secretariat: User) -> None:
    read = document_read_start(user=secretariat, filename="summary.docx", data=docx_from_text(SMALL_SUMMARY))
    DocumentRead.objects.filter(pk=read.pk).update(
        started_at=timezone.now() - timedelta(minutes=10), created_at=timezone.now() - timedelta(minutes=10)
    )

    response = _client_for(secretariat).get(reverse("secretariat:import_read", args=[read.pk]))

    content = response.content.decode()
    assert response.status_code == 200 and "Reading this file did not finish" in content
    assert "hx-get" not in content and "Try again" in content


def test_reads_are_seen_only_by_whoever_uploaded_them(secretariat: User, cso_member: User) -> None:
    read = document_read_start(user=secretariat, filename="summary.docx", data=docx_from_text(SMALL_SUMMARY))
    page = reverse("secretariat:import_read", args=[read.pk])
    retry = reverse("secretariat:import_read_retry", args=[read.pk])

    for user in (_other_secretariat(), cso_member):
        client = _client_for(user)
        assert client.get(page).status_code == 404
        assert client.post(retry).status_code == 404
    assert DocumentRead.objects.visible_to(secretariat).count() == 1
    assert Client().get(page).status_code == 302  # anonymous: sign in first


def test_old_reads_are_deleted_when_the_user_uploads_again(secretariat: User) -> None:
    old = document_read_start(user=secretariat, filename="old.docx", data=b"x")
    DocumentRead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    document_read_start(user=secretariat, filename="new.docx", data=b"y")

    assert list(DocumentRead.objects.values_list("filename", flat=True)) == ["new.docx"]


@pytest.mark.integration
def test_real_worker_reads_the_upload(secretariat: User, celery_worker_process: Any) -> None:
    read = document_read_start(user=secretariat, filename="summary.docx", data=docx_from_text(SMALL_SUMMARY))

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        read.refresh_from_db()
        if read.state != DocumentRead.State.PENDING:
            break
        time.sleep(0.5)

    assert read.state == DocumentRead.State.READY
    assert "Neighbourhood Mediation" in read.text
