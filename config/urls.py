from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "South East London consultations: staff"
admin.site.site_title = "Consultations staff"
admin.site.index_title = "Publish and manage"

urlpatterns = [
    path("admin/dashboards/", include("surveys.dashboard_urls")),
    path("admin/", admin.site.urls),
    path("", include("consultations.urls")),
    path("", include("surveys.urls")),
    path("", include("news.urls")),
    path("", include("partnerships.urls")),
]
