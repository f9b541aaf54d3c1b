"""Login forms of the portal and the admin.

Django's login forms set ``max_length`` on the user-name field only after it is built, so no
length validator runs: a user name of a megabyte reached ``authenticate()`` and django-axes
then failed to record the attempt in its 255-character column (a 500 on PostgreSQL). These
forms check the length first, like every other field.

Their wrong-password messages are the portal's own: Django's Indonesian catalogue reads
"Masukkan nama pengguna %(username)s ...", and the field's name is "nama pengguna" too, so
the reader saw "nama pengguna nama pengguna".
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

INVALID_LOGIN = _(
    "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil pada keduanya."
)
INVALID_ADMIN_LOGIN = _(
    "Nama pengguna atau kata sandi salah, atau akun ini bukan akun staf. Perhatikan huruf "
    "besar dan kecil pada keduanya."
)


def _bound_username(form: AuthenticationForm) -> None:
    field = cast(forms.CharField, form.fields["username"])
    field.validators.append(MaxLengthValidator(field.max_length or 150))


class LoginForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_LOGIN}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bound_username(self)


class AdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": INVALID_ADMIN_LOGIN,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bound_username(self)
