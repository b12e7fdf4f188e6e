"""App config for outcomes."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Validated outcome measures and their scores."""

    name = "softtissue.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from softtissue.assessments.models import Episode
        from softtissue.outcomes.models import follow_impression

        # The report groups series by the impression copied into them: whoever saves an
        # episode (the impression page, the API, an import) keeps that copy true.
        post_save.connect(follow_impression, sender=Episode, dispatch_uid="outcomes-impression")
