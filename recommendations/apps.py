from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"

    def ready(self) -> None:
        from events.signals import convening_published

        from .receivers import suggest_recurrences

        convening_published.connect(suggest_recurrences, dispatch_uid="recommendations.recurrence")
