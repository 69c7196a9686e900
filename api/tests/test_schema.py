"""Schemathesis against the live schema: every operation, generated requests, no server error and
every answer as the schema says (status, content type, headers, body). Bounded: a few dozen
examples per operation, the whole file in well under three minutes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# The schema as the running site serves it (through the WSGI application, as a client would
# fetch it), not one generated beside it. Serving it reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def demo(db: None) -> Iterator[None]:
    call_command("load_demo", stdout=io.StringIO())
    # Requests go through the real WSGI handler, whose request_finished closes the database
    # connection (CONN_MAX_AGE) — the test's own, on PostgreSQL. Django's test client detaches
    # the same handler for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case: Any, demo: None) -> None:
    response = case.call_and_validate(checks=CHECKS)

    assert response.status_code < 500


def test_the_schema_covers_every_api_route(client: Any) -> None:
    paths = set(client.get("/api/v1/schema/", {"format": "json"}).json()["paths"])

    assert paths == {
        "/api/v1/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{reference}/",
        "/api/v1/convenings/",
        "/api/v1/convenings/{key}/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/themes/",
        "/api/v1/addressees/",
        "/api/v1/letters/",
        "/api/v1/letters/{slug}/",
        "/api/v1/endorsements/",
    }
