from __future__ import annotations

import factory

from peerpath.accounts.models import Organisation, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Peer Support Charity {n}")
    slug = factory.Sequence(lambda n: f"charity-{n}")
    contact_email = factory.LazyAttribute(lambda o: f"hello@{o.slug}.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")


# The documented demo secret (development and tests only): any authenticator app accepts it.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def give_mfa(user: User, secret: str = DEMO_TOTP_SECRET) -> User:
    """Set up two-step verification (TOTP) for a user, as if she had scanned the QR code."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return user


def totp_code(secret: str = DEMO_TOTP_SECRET) -> str:
    """The code an authenticator app would show right now for this secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 8:  # seconds: a code read as the window turns is refused when it arrives
        time.sleep(left + 0.5)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret, counter))
