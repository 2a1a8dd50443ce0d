from django.contrib import admin
from django.urls import include, path

from website.sitemaps import robots_txt, sitemap_xml

admin.site.site_header = "South East London consultations: staff"
admin.site.site_title = "Consultations staff"
admin.site.index_title = "Publish and manage"

urlpatterns = [
    path("admin/dashboards/", include("surveys.reporting.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("consultations.urls")),
    path("", include("surveys.urls")),
    path("", include("news.urls")),
    path("", include("partnerships.urls")),
    # Last: it holds the catch-all partnership address /<slug>/.
    path("", include("website.urls")),
]
