from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("second-factor/set-up/", views.mfa_setup, name="mfa-setup"),
    path("second-factor/", views.mfa_verify, name="mfa-verify"),
    path("second-factor/recovery-codes/", views.new_recovery_codes, name="recovery-codes"),
]
