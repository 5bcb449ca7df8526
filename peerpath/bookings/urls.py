from django.urls import path

from peerpath.bookings import views

app_name = "bookings"

urlpatterns = [
    path("find-support/sessions/<uuid:public_id>/book/", views.book, name="booking_create"),
    path("account/bookings/", views.my_bookings, name="my_bookings"),
    path("account/bookings/<uuid:public_id>/cancel/", views.cancel, name="booking_cancel"),
    path("account/bookings/calendar-address/", views.calendar_create, name="calendar_feed_create"),
    path(
        "account/bookings/calendar-address/new/", views.calendar_reset, name="calendar_feed_reset"
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("account/bookings/<uuid:public_id>/accept/", views.accept, name="booking_accept"),
    path(
        "staff/sessions/<uuid:public_id>/register/",
        views.session_register,
        name="session_register",
    ),
]
