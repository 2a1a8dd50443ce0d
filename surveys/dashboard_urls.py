from django.contrib import admin
from django.urls import path

from surveys import dashboard_views as views

app_name = "dashboard"

staff = admin.site.admin_view

urlpatterns = [
    path("<int:survey_id>/", staff(views.dashboard), name="survey"),
    path("<int:survey_id>/answers/<int:question_id>/", staff(views.free_text), name="free-text"),
    path("<int:survey_id>/summary.<str:file_format>", staff(views.export_summary), name="summary"),
    path("<int:survey_id>/responses.<str:file_format>", staff(views.export_responses), name="responses"),
    path("<int:survey_id>/codebook.csv", staff(views.export_codebook), name="codebook"),
]
