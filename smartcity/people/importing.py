"""Invitations from a spreadsheet (CSV or XLSX): name, e-mail, role, region code.

All or nothing: a file with one bad row invites nobody and lists every problem by row (as
the spreadsheet numbers them, the header being row 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from smartcity.people import services
from smartcity.people.models import Invitation, InvitedRole
from smartcity.tabular.reader import Limits, TableError, is_xlsx, read_table

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

IMPORT_BAD_FILE = _("Berkas harus CSV (UTF-8) atau lembar kerja Excel (.xlsx).")
IMPORT_TOO_LARGE = _("Berkas terlalu besar: paling besar 1 MB.")
IMPORT_TOO_MANY_ROWS = _("Terlalu banyak baris: paling banyak %(max)s undangan sekali impor.")
IMPORT_EMPTY = _("Berkas tidak berisi undangan apa pun.")
IMPORT_MISSING_COLUMN = _("Kolom wajib “%(column)s” tidak ada di baris judul.")
IMPORT_REQUIRED = _("Kolom “%(column)s” wajib diisi.")
IMPORT_BAD_EMAIL = _("“%(value)s” bukan alamat e-mail yang sah.")
IMPORT_DUPLICATE = _("Alamat %(email)s muncul lebih dari sekali di berkas.")

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000

# Header spellings accepted for each column (compared lower-case, without punctuation).
_HEADERS = {
    "name": {"nama", "nama lengkap", "name", "full name"},
    "email": {"email", "e mail", "alamat email", "alamat e mail"},
    "role": {"peran", "role"},
    "region": {"kode wilayah", "wilayah", "region code", "region", "kode"},
}
_COLUMN_LABELS = {"name": "nama", "email": "email", "role": "peran", "region": "kode wilayah"}
_ROLES = {
    "reviewer": InvitedRole.REVIEWER,
    "penilai": InvitedRole.REVIEWER,
    "coordinator": InvitedRole.COORDINATOR,
    "koordinator": InvitedRole.COORDINATOR,
    "operator": InvitedRole.OPERATOR,
}


@dataclass
class RowProblem:
    row: int | None
    message: str


class InvitationImportError(ValidationError):
    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__([p.message for p in problems], code="import")


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(upload: UploadedFile) -> list[tuple[int, list[str]]]:
    """The file's rows (number, cells as text), read by the portal's one bounded reader."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvitationImportError([RowProblem(None, str(IMPORT_TOO_LARGE))])
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvitationImportError([RowProblem(None, str(IMPORT_TOO_LARGE))])
    # The content decides the format: a workbook saved under another name is still read.
    name = "upload.xlsx" if is_xlsx(data) else "upload.csv"
    try:
        table = read_table(
            data, filename=name, limits=Limits(max_rows=MAX_ROWS, max_columns=20, max_seconds=10)
        )
    except TableError as exc:
        raise InvitationImportError([RowProblem(None, m) for m in exc.messages]) from None
    return [(row.number, [_cell(v) for v in row.values]) for row in table.rows]


@dataclass
class _Row:
    number: int
    name: str
    email: str
    role: str
    region: Region | None


def _parse(rows: list[tuple[int, list[str]]], by: User) -> list[_Row]:
    if len(rows) < 2:
        raise InvitationImportError([RowProblem(None, str(IMPORT_EMPTY))])
    header_number, header = rows[0]
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        for key, spellings in _HEADERS.items():
            if _norm(text) in spellings and key not in columns:
                columns[key] = index
    missing = [k for k in ("name", "email", "role") if k not in columns]
    if missing:
        raise InvitationImportError(
            [
                RowProblem(
                    header_number, str(IMPORT_MISSING_COLUMN % {"column": _COLUMN_LABELS[k]})
                )
                for k in missing
            ]
        )
    codes = {
        r[columns["region"]]
        for _n, r in rows[1:]
        if "region" in columns and len(r) > columns["region"]
    }
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    problems: list[RowProblem] = []
    parsed: list[_Row] = []
    seen: set[str] = set()

    def value(raw: list[str], key: str) -> str:
        index = columns.get(key)
        return raw[index] if index is not None and index < len(raw) else ""

    for number, raw in rows[1:]:
        name, email = value(raw, "name"), value(raw, "email").lower()
        role_text, code = _norm(value(raw, "role")), value(raw, "region")
        row_problems: list[str] = []
        for key, text in (("name", name), ("email", email), ("role", role_text)):
            if not text:
                row_problems.append(str(IMPORT_REQUIRED % {"column": _COLUMN_LABELS[key]}))
        role = _ROLES.get(role_text, "")
        if role_text and not role:
            row_problems.append(str(services.UNKNOWN_ROLE % {"role": value(raw, "role")}))
        region = regions.get(code) if code else None
        if code and region is None:
            row_problems.append(str(services.UNKNOWN_REGION % {"code": code}))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(str(IMPORT_BAD_EMAIL % {"value": email}))
            if email in seen:
                row_problems.append(str(IMPORT_DUPLICATE % {"email": email}))
            seen.add(email)
        if not row_problems:
            try:
                services._check_role_region(role, region)
                services._check_may_invite(by, role, region)
                services._check_address(email)
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                row_problems.extend(messages)
        problems.extend(RowProblem(number, m) for m in row_problems)
        if not row_problems:
            parsed.append(_Row(number, name, email, role, region))
    if problems:
        raise InvitationImportError(problems)
    return parsed


@transaction.atomic
def invitations_import(*, upload: UploadedFile, by: User, language: str = "") -> list[Invitation]:
    """Invite everyone in the file, or nobody (``InvitationImportError`` lists why)."""
    rows = _parse(_read(upload), by)
    return [
        services.invitation_create(
            by=by,
            email=row.email,
            full_name=row.name,
            role=row.role,
            region=row.region,
            language=language,
        )
        for row in rows
    ]
