from django.urls import path
from django.views.generic import TemplateView

from common.page_cache import cache_public_page
from website import views

app_name = "website"

# Included last: a partnership's address is the catch-all /<slug>/ (see RESERVED_SLUGS).
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "accessibility/",
        cache_public_page(TemplateView.as_view(template_name="website/accessibility.html")),
        name="accessibility",
    ),
    path("contact/", views.contact, name="contact"),
    path("contact/<slug:partnership_slug>/", views.contact_partnership, name="contact-partnership"),
    path("contact/<slug:partnership_slug>/sent/", views.contact_sent, name="contact-sent"),
    path("search/", views.search, name="search"),
    path("<slug:partnership_slug>/", views.partnership_detail, name="partnership"),
    path("<slug:partnership_slug>/plans/<slug:plan_slug>/", views.plan_detail, name="plan"),
]
