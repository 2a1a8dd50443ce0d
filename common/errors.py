"""What error reports (the emails to ADMINS) may contain."""

from django.views.debug import SafeExceptionReporterFilter


class NoFormDataReporterFilter(SafeExceptionReporterFilter):
    """Hide every posted value, not only passwords: a failing survey page must not email its answers."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}
