from django.urls import path

from peerpath.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("help-now/", views.help_now, name="help_now"),
]
