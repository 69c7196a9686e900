"""Private files stay on disk by default; a STORAGES alias moves them (object storage, docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from gsx_portal.storage import PrivateFileStorage
from publications.models import publications_storage
from recommendations.models import evidence_storage


def test_private_files_default_to_folders_that_have_no_url(settings, tmp_path: Path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"

    storage = evidence_storage()

    assert isinstance(storage, PrivateFileStorage)
    assert storage.location == str(tmp_path / "evidence")
    with pytest.raises(ValueError, match="no URL"):
        storage.url("x.pdf")


def test_a_storages_alias_replaces_the_folder(settings, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "publications": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }

    storage = publications_storage()
    name = storage.save("brief.pdf", ContentFile(b"%PDF-"))

    assert isinstance(storage, FileSystemStorage) and not isinstance(storage, PrivateFileStorage)
    assert (tmp_path / name).read_bytes() == b"%PDF-"
