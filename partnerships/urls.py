from django.urls import path
from django.views.generic import TemplateView

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("documents/<int:pk>/<str:filename>", views.document_download, name="document"),
    path("search/", views.search, name="search"),
    path("<slug:partnership_slug>/", views.partnership_detail, name="partnership"),
    path("<slug:partnership_slug>/plans/<slug:plan_slug>/", views.plan_detail, name="plan"),
]
