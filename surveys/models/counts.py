"""Running counts of a survey's accepted responses, so its unfiltered dashboard costs the same at any size."""

from django.db import models

from surveys.models.questionnaire import Survey


class DashboardCount(models.Model):
    """One figure's count for one survey, channel and day: how many accepted responses (or answers)
    and the sum of their ids.

    ``key`` says which figure: ``total``, ``choice:<question>:<choice or ->``, ``answered:<question>``
    (multiple choice only), ``section:<section>``, ``number:<question>:<value>``, ``other:<question>``.
    By channel and day (UK date sent), so a dashboard filtered by those adds up rows too. Kept in step
    in the same transaction as every change to accepted responses (surveys.reporting.counts);
    ``recount_dashboards`` proves and repairs it.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="counts")
    key = models.CharField(max_length=100)
    channel = models.CharField(max_length=10)
    day = models.DateField()
    n = models.BigIntegerField(default=0)
    ids = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "key", "channel", "day"], name="one_count_per_figure_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.n}"
