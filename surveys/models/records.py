"""What staff did with responses: access and downloads, erasures, and residents' withdrawal requests."""

from django.conf import settings
from django.db import models

from surveys.models.questionnaire import Survey


class ExportRecord(models.Model):
    """Who read or downloaded which responses, when, with which filters: an audit trail for superusers."""

    class Kind(models.TextChoices):
        SUMMARY_CSV = "summary_csv", "Summary (CSV)"
        SUMMARY_XLSX = "summary_xlsx", "Summary (XLSX)"
        RESPONSES_CSV = "responses_csv", "Responses (CSV)"
        RESPONSES_XLSX = "responses_xlsx", "Responses (XLSX)"
        CODEBOOK_CSV = "codebook_csv", "Codebook (CSV)"
        FREE_TEXT = "free_text", "Free-text answers read"
        OTHER_ANSWERS = "other_answers", "“Other” answers read"
        RESPONSE = "response", "One response read"
        SUBJECT_ACCESS = "subject_access", "One response produced for a subject access request"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filters = models.JSONField(default=dict, blank=True)
    includes_equality_data = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Empty if the download was interrupted.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "record of access to responses"
        verbose_name_plural = "records of access to responses"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.survey} by {self.user} at {self.created_at:%d %b %Y %H:%M}"


class ErasureRecord(models.Model):
    """That responses were erased: when, from which survey, how many, by whom and why. Never their content."""

    class How(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn by the person who sent it"
        STAFF = "staff", "Erased by staff"
        RETENTION = "retention", "Retention period ended"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="erasures")
    how = models.CharField(max_length=10, choices=How.choices)
    responses = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    erased_at = models.DateTimeField(auto_now_add=True)

    partnership_path = "survey__consultation__partnership"

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.get_how_display()}: {self.responses} from {self.survey} on {self.erased_at:%d %b %Y}"


class WithdrawalRequest(models.Model):
    """A resident asked to withdraw a response after its consultation closed: staff decide and erase it.

    Goes with the response when that is erased (by staff, or when the retention period ends).
    """

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="withdrawal_request")
    requested_at = models.DateTimeField(auto_now_add=True)

    partnership_path = "response__survey__consultation__partnership"

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Withdrawal request {self.pk}"
