from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publications"

    def ready(self) -> None:
        from events.signals import content_changed

        from .receivers import prerender_changed_convening

        content_changed.connect(prerender_changed_convening, dispatch_uid="publications.prerender")
