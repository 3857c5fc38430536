"""E-mail drafts as ``.eml`` files and the forms inside mails that come back (issue 9).

A draft is marked ``X-Unsent: 1``: Outlook opens such a file as an editable, unsent message
(Thunderbird opens it with "Edit as New"); the standard library's :mod:`email` writes and reads it.
"""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formatdate
from pathlib import Path
from zoneinfo import ZoneInfo

from ..clock import DEFAULT_TIMEZONE
from ..domain.mail import Draft
from ..store.files import write_bytes_atomic

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def draft_message(
    draft: Draft, *, attachment: bytes | None = None, attachment_name: str = "", at: datetime | None = None
) -> EmailMessage:
    """The draft as a MIME message: UTF-8 subject and body, the workbook attached under its name,
    dated ``at`` (company wall time, the command's ``--now``)."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["To"] = ", ".join(draft.to)
    if draft.cc:
        msg["Cc"] = ", ".join(draft.cc)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(at.replace(tzinfo=ZoneInfo(DEFAULT_TIMEZONE))) if at else formatdate(localtime=True)
    msg["X-Unsent"] = "1"
    msg.set_content(draft.body, charset="utf-8")
    if attachment is not None:
        msg.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=attachment_name)
    return msg


def write_eml(path: Path, draft: Draft, *, attachment: Path | None = None, at: datetime | None = None) -> Path:
    """Write the draft beside its attachment, atomically (a killed process leaves no half mail)."""
    data = attachment.read_bytes() if attachment is not None else None
    msg = draft_message(draft, attachment=data, attachment_name=attachment.name if attachment else "", at=at)
    return write_bytes_atomic(path, msg.as_bytes())


def workbook_attachments(eml: Path) -> list[tuple[str, bytes]]:
    """The ``.xlsx`` attachments of a mail file, ``(file name, bytes)``, in their order."""
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    found: list[tuple[str, bytes]] = []
    for part in msg.walk():
        name = part.get_filename()
        if name and name.lower().endswith(".xlsx"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                found.append((Path(name).name, payload))
    return found


def write_handover(
    outbox: Path,
    draft: Draft,
    *,
    eml_name: str,
    form: Path | None,
    attachment_name: str | None,
    at: datetime | None = None,
) -> Path:
    """The hand-over in ``outbox`` (发件): a copy of the saved form under its predictable name and the
    ``.eml`` draft with that copy attached, both named alike; a reminder has no attachment."""
    outbox.mkdir(parents=True, exist_ok=True)
    copy: Path | None = None
    if form is not None and attachment_name:
        copy = write_bytes_atomic(outbox / attachment_name, form.read_bytes())
    return write_eml(outbox / eml_name, draft, attachment=copy, at=at)
