from django.contrib import admin
from django.urls import include, path

from website.health import healthz, readyz
from website.sitemaps import robots_txt, security_txt, sitemap_xml

admin.site.site_header = "South East London consultations: staff"
admin.site.site_title = "Consultations staff"
admin.site.index_title = "Publish and manage"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/account/", include("accounts.urls")),
    path("admin/dashboards/", include("surveys.reporting.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("", include("consultations.urls")),
    path("", include("surveys.urls")),
    path("", include("news.urls")),
    path("", include("partnerships.urls")),
    # Last: it holds the catch-all partnership address /<slug>/.
    path("", include("website.urls")),
]

handler400 = "website.views.bad_request"
handler403 = "website.views.permission_denied"
handler500 = "website.health.server_error"
