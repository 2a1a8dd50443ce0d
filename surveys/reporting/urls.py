from django.contrib import admin
from django.urls import path

from surveys.reporting import views

app_name = "reporting"

staff = admin.site.admin_view

urlpatterns = [
    path("<int:survey_id>/", staff(views.dashboard), name="survey"),
    path("<int:survey_id>/answers/<int:question_id>/", staff(views.free_text), name="free-text"),
    # summary.csv, summary.xlsx, responses.csv, responses.xlsx, codebook.csv: see exporters.EXPORTERS.
    path("<int:survey_id>/<str:identifier>", staff(views.download), name="export"),
]
