from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organizations"

    def ready(self) -> None:
        # Our configuration checks (gsx_portal is a settings package, not an app).
        from gsx_portal import checks  # noqa: F401

        # Connect the log-in signals: who must pass a second factor, when the session
        # began, and failed log-ins per username.
        from . import second_factor, session_limits, throttling  # noqa: F401
