"""A convening's one-page brief as the secretariat drafted it elsewhere: a registry, so that the
app rendering the brief (publications) and the app drafting it (consultations), siblings that never
import each other, meet here, below both.

The drafting app appends a provider to ``BRIEF_DRAFT_PROVIDERS`` in its ``AppConfig.ready``; the
renderer asks ``brief_draft``. A provider answers the published draft only, unless asked for the
unpublished one too (the secretariat's preview): draft text never reaches a public brief.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Convening


@dataclass(frozen=True)
class BriefDraft:
    text: str  # Markdown, as circulated
    recommendation_ids: tuple[int, ...]  # the selection; empty: every recommendation
    published: bool

    @property
    def digest(self) -> str:
        """Part of the brief's version: a new draft text or selection is a new file."""
        payload = f"{self.published}|{self.text}|{','.join(map(str, self.recommendation_ids))}"
        return hashlib.sha256(payload.encode()).hexdigest()[:12]


BriefDraftProvider = Callable[..., BriefDraft | None]
BRIEF_DRAFT_PROVIDERS: list[BriefDraftProvider] = []


def brief_draft(*, convening: Convening, include_unpublished: bool = False, **kwargs: Any) -> BriefDraft | None:
    """The first provider's draft for ``convening``, or None (the brief is made from the convening)."""
    for provider in BRIEF_DRAFT_PROVIDERS:
        draft = provider(convening=convening, include_unpublished=include_unpublished, **kwargs)
        if draft is not None:
            return draft
    return None
