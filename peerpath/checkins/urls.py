from django.urls import path

from peerpath.checkins import views

app_name = "checkins"

urlpatterns = [
    path("check-ins/", views.home, name="home"),
    path("check-ins/sharing/", views.sharing, name="sharing"),
    path("check-ins/sharing/<uuid:public_id>/stop/", views.sharing_stop, name="sharing_stop"),
    path("check-ins/reminders/", views.reminders, name="reminders"),
    path("check-ins/answers/<uuid:public_id>/<int:number>/", views.question, name="question"),
    path("check-ins/answers/<uuid:public_id>/discard/", views.discard, name="discard"),
    path("check-ins/answers/<uuid:public_id>/help/", views.risk_help, name="risk_help"),
    path("check-ins/results/<uuid:public_id>/", views.result, name="result"),
    path("check-ins/<slug:instrument_id>/", views.before, name="before"),
    path("check-ins/<slug:instrument_id>/start/", views.start, name="start"),
    path("check-ins/<slug:instrument_id>/trend/", views.trend, name="trend"),
    path("reminder/", views.reminder_link, name="reminder_link"),
    path("staff/shared-check-ins/<uuid:public_id>/", views.shared, name="shared"),
]
