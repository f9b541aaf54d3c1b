"""Demo accounts (``manage.py load_demo``): an e-mail address, and for Kominfo staff a
second factor whose key is published in the README, so a developer can sign in."""

from __future__ import annotations

import base64

from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcity.people.second_factor import TOTP_DEVICE_NAME, must_use_second_factor

# RFC 6238's own test key ("12345678901234567890"): never secret, demo accounts only.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_KEY_BASE32 = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def prepare_demo_account(user: User) -> None:
    if not user.email:
        user.email = f"{user.get_username()}@demo.example"
        user.save(update_fields=["email"])
    if must_use_second_factor(user):
        TOTPDevice.objects.update_or_create(
            user=user,
            name=TOTP_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
        )


def demo_code() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"
