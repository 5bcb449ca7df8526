import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from peerpath.accounts import demo
from peerpath.core.demo import demo_allowed


class Command(BaseCommand):
    help = "Print the current two-step verification code for the demo staff accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        demo_allowed()
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        seconds_left = app_settings.TOTP_PERIOD - int(time.time()) % app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(demo.DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"{code}  (changes in {seconds_left} s)")
