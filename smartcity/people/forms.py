"""Forms of the people pages (invitations, sign-in steps, preferences)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from smartcity.people.models import InvitedRole, NotificationKind

MAX_UPLOAD_BYTES = 1024 * 1024


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Peran"), choices=InvitedRole.choices)
    region = forms.ModelChoiceField(
        label=_("Wilayah"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Wajib untuk koordinator dan operator; kosong untuk penilai."),
    )
    language = forms.ChoiceField(
        label=_("Bahasa e-mail"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def __init__(self, *args: Any, regions: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (v, n) for v, n in InvitedRole.choices if v in roles
        ]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_("Kolom: nama, email, peran (penilai, koordinator, operator), kode wilayah."),
    )
    language = forms.ChoiceField(
        label=_("Bahasa e-mail"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar: paling besar 1 MB."))
        return upload


class AcceptForm(forms.Form):
    """The new account's password (checked against the portal's password rules)."""

    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, full_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email, self.full_name = email, full_name

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif one:
            from django.contrib.auth.models import User

            probe = User(username=self.email, email=self.email, first_name=self.full_name)
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Bahasa pemberitahuan"), choices=settings.LANGUAGES)
    email_kinds = forms.MultipleChoiceField(
        label=_("Kirim lewat e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in NotificationKind.switchable()],
        help_text=_(
            "Semua pemberitahuan tetap masuk ke kotak masuk. E-mail keamanan akun selalu dikirim."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran Kominfo"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from smartcity.people.services import KOMINFO_ROLES

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = list(KOMINFO_ROLES.items())


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, the e-mail sent by a background task: the page answers at once
    and equally fast whether or not the address has an account (no enumeration by timing)."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from smartcity.people.tasks import send_plain_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: send_plain_email.enqueue(subject, body, to_email))
