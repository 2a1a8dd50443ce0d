from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("documents/<int:pk>/<str:filename>", views.document_download, name="document"),
]
