from django.urls import path

from peerpath.safeguarding import views

urlpatterns = [
    path("help-now/", views.help_now, name="help_now"),
]
