from django.urls import path

from peerpath.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("help-now/", views.help_now, name="help_now"),
    path("help-now/talk-to-someone/", views.ask_for_contact, name="ask_for_contact"),
    path("help-now/talk-to-someone/sent/", views.ask_for_contact_sent, name="ask_for_contact_sent"),
    path("staff/alerts/", views.alerts_home, name="alerts_home"),
    path("staff/<slug:slug>/alerts/", views.alerts_dashboard, name="alerts_dashboard"),
    path("staff/<slug:slug>/alerts/numbers/", views.alerts_numbers, name="alerts_numbers"),
    path("staff/<slug:slug>/alerts/list/", views.alerts_list, name="alerts_list"),
    path("staff/<slug:slug>/rota/", views.rota, name="rota"),
    path(
        "staff/<slug:slug>/rota/calendar-address/", views.duty_feed_create, name="duty_feed_create"
    ),
    path("staff/alerts/raised/", views.alerts_raised, name="alerts_raised"),
    path("staff/alerts/<uuid:public_id>/", views.alert_detail, name="alert_detail"),
    path(
        "staff/alerts/<uuid:public_id>/acknowledge/",
        views.acknowledge,
        name="alert_acknowledge",
    ),
    path("staff/alerts/<uuid:public_id>/record/", views.alert_record, name="alert_record"),
    path("staff/alerts/<uuid:public_id>/follow-up/", views.alert_follow_up, name="alert_follow_up"),
    path(
        "staff/alerts/<uuid:public_id>/follow-up/<uuid:follow_up_id>/done/",
        views.alert_follow_up_done,
        name="alert_follow_up_done",
    ),
    path(
        "staff/alerts/<uuid:public_id>/hand-over/",
        views.alert_hand_over_view,
        name="alert_hand_over",
    ),
    path("staff/alerts/<uuid:public_id>/close/", views.alert_close_view, name="alert_close"),
    path(
        "staff/members/<uuid:public_id>/raise-alert/",
        views.alert_raise_for_member,
        name="alert_raise_for_member",
    ),
    path("duty/<str:token>.ics", views.duty_feed, name="duty_feed"),
]
