from django.urls import path

from surveys import views

app_name = "surveys"

prefix = "<slug:partnership_slug>/consultations/<slug:consultation_slug>/survey/"

urlpatterns = [
    path(prefix, views.start, name="start"),
    path(prefix + "privacy/", views.privacy_notice, name="privacy"),
    path(prefix + "page-<int:number>/", views.page, name="page"),
    path(prefix + "check-your-answers/", views.check_answers, name="check"),
    path(prefix + "sent/<str:reference>/", views.confirmation, name="confirmation"),
    path("withdraw-a-response/", views.withdraw, name="withdraw"),
    path("withdraw-a-response/confirm/", views.withdraw_confirm, name="withdraw-confirm"),
    path("withdraw-a-response/done/", views.withdraw_done, name="withdraw-done"),
]
