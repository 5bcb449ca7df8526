from django.urls import path

from peerpath.accounts import views

urlpatterns = [
    path("account/", views.account_home, name="account_home"),
    path("staff/", views.staff_home, name="staff_home"),
]
