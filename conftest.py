"""Project-wide fixtures: the personas, and the real services of the service path.

Personas (as in healthchecks' tests): ``anonymous``; ``donor`` (approved member of a verified donor
organization); ``cso_member`` (approved member of a verified CSO); ``unverified_member`` (member
of a CSO the secretariat has not verified yet); ``secretariat`` (staff in the Secretariat group,
owning a confirmed TOTP device).

Second factor: staff must pass TOTP before any page (organizations/second_factor.py). So that
tests keep logging staff in with ``client.force_login(user)``, the autouse fixture
``force_login_passes_second_factor`` makes ``Client.force_login`` also verify the session with the
user's confirmed device, exactly as ``django_otp.login`` does after a real code (``login_verified``
below is that helper); a user without a device (``staff_without_second_factor`` or any
``UserFactory(is_staff=True)``) stays unverified and is refused, as in real life. Give a staff user
of your own a device with ``totp_device_for(user)``; compute a current code with ``totp_code``.
A real password log-in (``client.post("/accounts/login/", ...)`` or a browser) is never verified
by this: it goes through the second-factor page.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

ROOT = Path(__file__).resolve().parent
REQUIRE_SERVICES = os.environ.get("GSX_REQUIRE_SERVICES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_SERVICES:
        missing = [name for name in ("DATABASE_URL", "CELERY_BROKER_URL") if not os.environ.get(name)]
        if missing:
            raise pytest.UsageError(f"GSX_REQUIRE_SERVICES=1 but {', '.join(missing)} is not set")
        for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
            url = urlparse(os.environ[name])
            if not _reachable(url.hostname or "127.0.0.1", url.port or (5432 if "postgres" in url.scheme else 6379)):
                raise pytest.UsageError(
                    f"GSX_REQUIRE_SERVICES=1 but {name} ({url.hostname}:{url.port}) is not reachable"
                )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The embedded default has no broker: integration tests belong to the service path only.
    # They are deselected (and counted as such), not skipped, and never silently in CI: CI runs
    # the service path with GSX_REQUIRE_SERVICES=1, where they must run.
    if os.environ.get("CELERY_BROKER_URL") and os.environ.get("DATABASE_URL"):
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (dropped if item.get_closest_marker("integration") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def secretariat(db: None) -> User:
    from organizations.tests.factories import UserFactory

    user = UserFactory.create(username="staff", is_staff=True)
    user.groups.add(secretariat_group())
    totp_device_for(user)
    return user


@pytest.fixture
def staff_without_second_factor(db: None) -> User:
    """Staff in the Secretariat group who never set up a second factor."""
    from organizations.tests.factories import UserFactory

    user = UserFactory.create(username="staff-no-otp", is_staff=True)
    user.groups.add(secretariat_group())
    return user


def totp_device_for(user: Any) -> Any:
    """A confirmed TOTP device for ``user`` (what the set-up page leaves behind)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device: Any, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now, computed from the device's key."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def _django_force_login() -> Any:
    from django.test import Client

    return Client.force_login


_DJANGO_FORCE_LOGIN = _django_force_login()


def login_verified(client: Any, user: Any, backend: str | None = None) -> None:
    """Log ``client`` in as ``user`` and, if the user owns a confirmed device, mark the session
    verified with it, as ``django_otp.login`` does once a real code was accepted."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    _DJANGO_FORCE_LOGIN(client, user, backend)
    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Client.force_login`` becomes ``login_verified`` (see the module's docstring)."""
    from django.test import Client

    monkeypatch.setattr(Client, "force_login", login_verified)


def secretariat_group() -> Group:
    """The group made by organizations/0003; a transactional test's flush removes data-migration
    rows (post_migrate brings back only permissions), so re-create it as the migration does."""
    from django.contrib.auth.models import Permission

    group, created = Group.objects.get_or_create(name="Secretariat")
    if created:
        import importlib

        tracking = importlib.import_module("tracking.migrations.0003_rename_nextstepfollowup_nextsteptracking")
        perms = Permission.objects.filter(
            content_type__app_label__in=("organizations", "events", "recommendations")
        ).exclude(content_type__model__startswith="historical")
        group.permissions.add(*perms)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="tracking", codename__in=tracking.GRANTED),
            *Permission.objects.filter(
                content_type__app_label="publications",
                codename__in=["view_rendereddocument", "delete_rendereddocument"],
            ),
        )
    return group


@pytest.fixture
def cso_member(db: None) -> User:
    from organizations.tests.factories import MembershipFactory

    return MembershipFactory.create(
        user__username="cso", organization__name="Verified CSO", organization__slug="verified-cso"
    ).user


@pytest.fixture
def unverified_member(db: None) -> User:
    from organizations.tests.factories import MembershipFactory

    return MembershipFactory.create(
        user__username="unverified",
        organization__name="Unverified CSO",
        organization__slug="unverified-cso",
        organization__verified_at=None,
    ).user


@pytest.fixture
def donor(db: None) -> User:
    from organizations.models import Organization
    from organizations.tests.factories import MembershipFactory

    return MembershipFactory.create(
        user__username="donor",
        organization__name="A Donor",
        organization__slug="a-donor",
        organization__kind=Organization.Kind.DONOR,
    ).user


@pytest.fixture
def persona(request: pytest.FixtureRequest) -> Any:
    """Indirect access to a persona by name, for parametrised matrices."""
    return request.getfixturevalue(request.param)


PERSONAS = ["anonymous", "donor", "cso_member", "unverified_member", "secretariat"]
OUTSIDE_SECRETARIAT = [name for name in PERSONAS if name != "secretariat"]
# The visibility matrix: persona → the participation visibilities it sees on a published
# convening, wherever participations show (models, pages, PDFs).
SEES_PARTICIPATIONS: dict[str, set[str]] = {
    "anonymous": {"public"},
    "donor": {"public"},
    "cso_member": {"public", "network"},
    "unverified_member": {"public"},
    "secretariat": {"public", "network", "confidential"},
}


def assert_ignored_notice(response: Any, ignored: list[str]) -> None:
    """A list page names the parameters it could not understand, by label, or says nothing."""
    notice = f"could not be understood and were ignored: {', '.join(ignored)}."
    assert response.context["ignored"] == ignored
    assert (notice in response.content.decode()) is bool(ignored)


def client_for(user: Any) -> Any:
    """A test client signed in as ``user`` (none for the anonymous persona)."""
    from django.test import Client

    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


# --- The seed summaries: real documents, read at test time from GSX_SEEDS_DIR, never copied.
VIENNA = "003_aaad3b00fffec38f.txt"
ROUNDTABLE = "000_6909b306d0310b96.txt"


def seeds_dir() -> Path:
    """GSX_SEEDS_DIR, relative to the repo root when relative; default ../shared/seeds."""
    configured = Path(os.environ.get("GSX_SEEDS_DIR") or "../shared/seeds")
    return (configured if configured.is_absolute() else ROOT / configured).resolve()


def seed_path(name: str) -> Path:
    """A seed's path; a missing seed fails the test in CI and on the service path, skips it elsewhere."""
    path = seeds_dir() / name
    if not path.is_file():
        message = f"seed {name} not found in {seeds_dir()} (set GSX_SEEDS_DIR)"
        if os.environ.get("GSX_REQUIRE_SERVICES") == "1" or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def seed_text(name: str) -> str:
    return seed_path(name).read_text(encoding="utf-8")


def vienna_convening() -> Any:
    """The Vienna civil-society day, published, imported from the seed with the importer's own
    service (apps below the importer may not import it; their tests get it from here)."""
    from importing.parser import parse_summary
    from importing.services import ImportMetadata, convening_import

    result = parse_summary(seed_text(VIENNA))
    convening = convening_import(result=result, metadata=ImportMetadata.from_result(result), user=None, publish=True)
    convening.refresh_from_db()
    return convening


def roundtable_convening(*, with_letter_proposal: bool = False) -> Any:
    """The New York roundtable, published, imported from its seed with the importer's service;
    optionally with the preview's letter proposal (the one with lettered sub-items) accepted as a
    candidate recommendation."""
    from importing.parser import parse_summary
    from importing.services import AcceptedProposal, AcceptedSuggestions, ImportMetadata, convening_import
    from importing.suggest_entities import find_proposals

    result = parse_summary(seed_text(ROUNDTABLE))
    accepted = None
    if with_letter_proposal:
        letter = next(p for p in find_proposals(result) if p.sub_items)
        proposal = AcceptedProposal(
            paragraph=letter.paragraph,
            headline=letter.headline,
            body=letter.body,
            sub_items=tuple((s.letter, s.text) for s in letter.sub_items),
        )
        accepted = AcceptedSuggestions(proposals=[proposal])
    convening = convening_import(
        result=result, metadata=ImportMetadata.from_result(result), user=None, publish=True, accepted=accepted
    )
    convening.refresh_from_db()
    return convening


@pytest.fixture
def celery_worker_process(transactional_db: None, settings: Any) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``celery worker`` process over Redis, on the test database.

    The test database name is only known once pytest-django has created it, so it is passed to
    the worker through DATABASE_URL. Tests using it need committed data: transactional_db.
    """
    env = celery_worker_env()
    # Start from an empty queue so a message left by another test cannot satisfy this one.
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "gsx_portal", "purge", "-f", "-Q", "celery,pdf"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    worker = start_celery_worker(env)
    try:
        yield worker
    finally:
        stop_celery_worker(worker)


def celery_worker_env() -> dict[str, str]:
    from django.db import connection

    broker = os.environ["CELERY_BROKER_URL"]
    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else f"{db['USER']}"
    db_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": db_url, "CELERY_BROKER_URL": broker, "DEBUG": "1"}
    env.pop("PYTEST_VERSION", None)
    return env


def start_celery_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A worker (no beat) in a process group of its own, so a test can kill it whole (killpg)."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gsx_portal",
            "worker",
            "-Q",
            "celery,pdf",
            "-c",
            "2",
            "--pool",
            "prefork",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _wait_for_worker(env)
    return worker


def stop_celery_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)


def _wait_for_worker(env: dict[str, str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "gsx_portal", "inspect", "ping", "--timeout", "2"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if "pong" in result.stdout:
            return
        time.sleep(0.5)
    raise RuntimeError("the Celery worker did not answer a ping within 60 s")


# --- Browser tests: Playwright driving Debian's Chromium (no browser download, no network).
CHROMIUM = os.environ.get("GSX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if REQUIRE_SERVICES or os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/install-system-deps.sh --dev")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (scripts/install-system-deps.sh --dev)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # itself (factories, assertions) are still synchronous and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser page (desktop width) against the live test server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.gsx_base_url = live_server.url
    yield tab
    context.close()


def browser_login(page: Any, user: Any) -> None:
    """Sign the page's browser context in as ``user`` through a real session cookie."""
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                # Playwright keeps no public base_url on the context: the page fixture notes it.
                "url": getattr(page, "gsx_base_url", "") or _base_url(page),
            }
        ]
    )


def _base_url(page: Any) -> str:
    return str(page.evaluate("() => location.origin")) if page.url.startswith("http") else ""


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def admin_user(admin_user: User) -> User:
    """pytest-django's superuser, with the second factor every staff account owns."""
    totp_device_for(admin_user)
    return admin_user


@pytest.fixture(autouse=True)
def _api_limits_out_of_the_way(settings: Any) -> None:
    """Crawls send hundreds of API requests from one address; api/tests/test_tokens.py sets a
    small limit of its own to see the 429."""
    settings.API_THROTTLE_RATES = dict.fromkeys(("anon", "user", "token"), "100000/minute")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters (log-in, password reset) live in the cache: each test starts afresh."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language. The test client runs LocaleMiddleware, which
    activates the request's language in this thread and never deactivates it, so a request with
    ``Accept-Language: fr`` would leave French active for the tests after it (modeltranslation
    then writes ``name`` into ``name_fr``)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
