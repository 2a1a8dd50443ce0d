from django.contrib import admin
from django.urls import path

from surveys.reporting import export_views, views

app_name = "reporting"

staff = admin.site.admin_view

urlpatterns = [
    path("<int:survey_id>/", staff(views.dashboard), name="survey"),
    path("<int:survey_id>/answers/<int:question_id>/", staff(views.free_text), name="free-text"),
    path("<int:survey_id>/exports/<int:job_id>/", staff(export_views.export_job), name="export-job"),
    path("<int:survey_id>/exports/<int:job_id>/progress", staff(export_views.export_progress), name="export-progress"),
    path("<int:survey_id>/exports/<int:job_id>/download", staff(export_views.export_download), name="export-download"),
    # summary.csv, summary.xlsx, responses.csv, responses.xlsx, codebook.csv: see exporters.EXPORTERS.
    path("<int:survey_id>/<str:identifier>", staff(export_views.export), name="export"),
]
