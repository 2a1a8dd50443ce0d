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
    path(
        "<slug:partnership_slug>/consultations/<slug:consultation_slug>/email-me/",
        views.subscribe,
        name="subscribe",
    ),
    path(
        "<slug:partnership_slug>/consultations/<slug:consultation_slug>/email-me/check-your-email/",
        views.subscription_sent,
        name="subscription-sent",
    ),
    # Links in emails: the token is the key (see consultations/subscriptions.py).
    path("subscriptions/confirm/<slug:token>/", views.confirm_subscription, name="confirm-subscription"),
    path("subscriptions/unsubscribe/<slug:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/one-click/<slug:token>/", views.one_click_unsubscribe, name="one-click-unsubscribe"),
]
