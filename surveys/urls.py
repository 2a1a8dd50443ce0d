from django.urls import path

from surveys import views

app_name = "surveys"

prefix = "<slug:partnership_slug>/consultations/<slug:consultation_slug>/survey/"

urlpatterns = [
    path(prefix, views.start, name="start"),
    path(prefix + "page-<int:number>/", views.page, name="page"),
    path(prefix + "check-your-answers/", views.check_answers, name="check"),
    path(prefix + "sent/<str:reference>/", views.confirmation, name="confirmation"),
]
