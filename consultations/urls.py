from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.open_consultations, name="open"),
    path("consultations/coming-soon/", views.forthcoming_consultations, name="forthcoming"),
    path("consultations/closed/", views.closed_consultations, name="closed"),
    path("consultation-documents/<int:pk>/<str:filename>", views.consultation_document, name="document"),
    path("<slug:partnership_slug>/consultations/", views.partnership_consultations, name="partnership"),
    path("<slug:partnership_slug>/consultations/<slug:consultation_slug>/", views.consultation_detail, name="detail"),
    path(
        "<slug:partnership_slug>/consultations/<slug:consultation_slug>/request-a-discussion/",
        views.request_discussion,
        name="request-discussion",
    ),
    path(
        "<slug:partnership_slug>/consultations/<slug:consultation_slug>/request-a-discussion/sent/",
        views.discussion_request_sent,
        name="discussion-sent",
    ),
]
