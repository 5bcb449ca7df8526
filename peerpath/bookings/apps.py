from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "peerpath.bookings"
    label = "bookings"
    verbose_name = "Bookings"
