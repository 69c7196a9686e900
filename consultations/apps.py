from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        # The brief PDF (publications, a sibling app) reads a brief's draft through events' registry.
        from events.briefs import BRIEF_DRAFT_PROVIDERS

        from .selectors import brief_draft

        if brief_draft not in BRIEF_DRAFT_PROVIDERS:
            BRIEF_DRAFT_PROVIDERS.append(brief_draft)

        from django.db.models.signals import post_save

        from .services import letter_renamed

        post_save.connect(letter_renamed, sender="recommendations.Letter", dispatch_uid="consultation-letter-renamed")
