"""django-otp registers its device models in the admin; they stay out of it here. A lost
device is reset on the managers' people page, which records who did it (AuditEntry) and
tells the owner; deleting a device row in the admin would do neither."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
