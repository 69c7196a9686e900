"""Who made a change and why, for django-simple-history's next record of an object."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

M = TypeVar("M", bound=models.Model)


def history_actor(obj: M, *, user: User | AnonymousUser | None = None, reason: str | None = None) -> M:
    """Name the signed-in ``user`` who makes ``obj``'s next save or delete, and its ``reason``.

    Inside a request simple-history's middleware knows the user already; services called from a
    command, a task or a test do not, and a reason is never known to the middleware. A user who
    is not signed in (None, anonymous) names nobody; ``reason=None`` leaves the reason unset.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user  # type: ignore[attr-defined]  # simple-history's documented hook
    if reason is not None:
        obj._change_reason = reason  # type: ignore[attr-defined]  # simple-history's documented hook
    return obj
