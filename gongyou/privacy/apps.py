from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal-data lifecycle (PIPL): retention rules and anonymisation, legal holds, rotation
    of the field-encryption key. Sits above every domain app (it reads and redacts their data)
    and below ops (whose scheduler runs its daily task)."""

    name = "gongyou.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from . import checks, inventory  # noqa: F401 - registers checks and the PII inventory
