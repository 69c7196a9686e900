"""File storage for files that must never be reachable by URL."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileStorage(FileSystemStorage):
    """Files under the directory a setting names, outside MEDIA_ROOT on purpose.

    Nothing serves that directory (not even ``runserver`` in DEBUG), so a file leaves only through
    a view that has checked who asks against ``visible_to``. The setting is read at each use, not
    once at import: tests and workers point it elsewhere.
    """

    def __init__(self, setting: str) -> None:
        super().__init__()
        self.setting = setting

    # cached_property upstream; ours follow the setting.
    @property
    def base_location(self) -> str:
        return str(getattr(settings, self.setting))

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError(f"{self.setting} files have no URL: they are served by a view that checks access")


def private_storage(alias: str, setting: str) -> Storage:
    """The storage named ``alias`` in STORAGES when one is configured (object storage for several
    machines, docs/deploy.md), else a PrivateFileStorage under the folder ``setting`` names."""
    if alias in settings.STORAGES:
        return storages[alias]
    return PrivateFileStorage(setting)
