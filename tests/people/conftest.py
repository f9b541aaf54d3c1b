"""The people tests' cast: the shared one (manager, reviewer, bekasi, bandung) plus a
coordinator for each city, every one with an e-mail address so mail can reach them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests import factories

LINK = re.compile(r"https?://\S+/accounts/invite/([\w-]+)/")


def with_email(user: User) -> User:
    if not user.email:
        user.email = f"{user.username}@example.id"
        user.save(update_fields=["email"])
    return user


@pytest.fixture
def bekasi_coordinator(kota_bekasi) -> User:
    return with_email(
        factories.make_operator(kota_bekasi, "koordinator.bekasi", role="coordinator")
    )


@pytest.fixture
def bandung_coordinator(kota_bandung) -> User:
    return with_email(
        factories.make_operator(kota_bandung, "koordinator.bandung", role="coordinator")
    )


def invitation_token(message: mail.EmailMessage) -> str:
    found = LINK.search(str(message.body))
    assert found, message.body
    return found.group(1)
