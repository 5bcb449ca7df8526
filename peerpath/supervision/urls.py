from django.urls import path

from peerpath.supervision import views

app_name = "supervision"

SUPPORTER = "staff/<slug:slug>/supporters/<uuid:public_id>/"

urlpatterns = [
    path("staff/my-supervision/", views.mine, name="mine"),
    path("staff/my-supervision/wellbeing/", views.wellbeing, name="wellbeing"),
    path("staff/<slug:slug>/supporters/", views.overview, name="overview"),
    path(SUPPORTER, views.supporter, name="supporter"),
    path(f"{SUPPORTER}training/", views.training_record, name="training_record"),
    path(f"{SUPPORTER}checks/", views.check_record, name="check_record"),
    path(f"{SUPPORTER}sessions/", views.session_record, name="session_record"),
    path(f"{SUPPORTER}caseload/", views.caseload_set, name="caseload_set"),
    path(
        f"{SUPPORTER}wellbeing/<uuid:checkin_id>/followed-up/",
        views.wellbeing_followed_up,
        name="wellbeing_followed_up",
    ),
]
