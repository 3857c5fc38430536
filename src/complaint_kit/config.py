"""Add-in configuration, following xlwings' conventions.

A file ``~/.complaint_kit/complaint_kit.conf`` (``"KEY","VALUE"`` lines, like ``xlwings.conf``;
``COMPLAINT_KIT_CONF`` points elsewhere), overridden by a sheet named ``complaint_kit.conf`` in
the workbook (column A key, column B value). The Python interpreter itself is xlwings' setting
(``INTERPRETER_WIN`` / ``INTERPRETER_MAC`` in ``~/.xlwings/xlwings.conf``), written by
``complaint-kit addin install``.
"""

from __future__ import annotations

import csv
import getpass
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L

KEYS: dict[str, str] = {
    "REGISTER": "登记追踪表路径 path of the GM office's register",
    "USER": "使用者姓名 the user's name, stamped as 经办人",
    "FORMS_DIR": "表单文件夹 folder for new forms",
}


REGISTER_BACKUPS = 10  # previous versions of a register kept in 备份/ (rule S18), CLI and add-in alike


def default_user() -> str:
    """Who is working when nobody said: ``$COMPLAINT_KIT_USER``, else the login name."""
    return os.environ.get("COMPLAINT_KIT_USER") or getpass.getuser()


def config_path() -> Path:
    env = os.environ.get("COMPLAINT_KIT_CONF")
    return Path(env) if env else Path.home() / ".complaint_kit" / L.CONF_FILE


def read_conf(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    out = {}
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        if len(row) >= 2 and row[0].strip():
            out[row[0].strip().upper()] = row[1].strip()
    return out


def write_conf(path: Path, values: dict[str, str]) -> None:
    """Merge ``values`` into the conf file (other keys are kept)."""
    merged = {**read_conf(path), **{k.upper(): v for k, v in values.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for key, value in merged.items():
        writer.writerow([key, value])
    path.write_text(buf.getvalue(), encoding="utf-8")


@dataclass(frozen=True)
class Config:
    register: Path | None
    user: str
    forms_dir: Path | None
    sources: dict[str, str] = field(default_factory=dict)  # key → "file" | "sheet" | "default"


def load_config(sheet: dict[str, str] | None = None, *, path: Path | None = None) -> Config:
    from_file = read_conf(path or config_path())
    from_sheet = {k.strip().upper(): str(v).strip() for k, v in (sheet or {}).items() if k and v not in (None, "")}
    merged = {**from_file, **from_sheet}
    sources = {k: ("sheet" if k in from_sheet else "file") for k in merged}
    user = merged.get("USER") or default_user()
    return Config(
        register=Path(merged["REGISTER"]) if merged.get("REGISTER") else None,
        user=user,
        forms_dir=Path(merged["FORMS_DIR"]) if merged.get("FORMS_DIR") else None,
        sources=sources,
    )


# ---------------------------------------------------------------------------------------------
# The GM office's signing key (tamper evidence, issue 6). It lives in the office's configuration,
# never in a workbook that travels: actions receive it as an argument and never read files.
KEY_ENV = "COMPLAINT_KIT_KEY_FILE"
KEY_CONF = "KEY_FILE"
KEY_FILE_NAME = "signing.key"


class KeyMissing(Exception):
    """No signing key where the configuration says it is (a message for the administrator);
    ``problem`` is the catalogue's message for ``code`` (E-NO-KEY, E-KEY-UNREADABLE, E-KEY-MALFORMED)."""

    def __init__(self, code: str, **params: object) -> None:
        from .domain.problems import problem

        self.code = code
        self.problem = problem(code, **params)
        super().__init__(f"{self.problem.zh} — {self.problem.en}")


def key_path() -> Path:
    """``$COMPLAINT_KIT_KEY_FILE``, else ``KEY_FILE`` in the conf file, else ``~/.complaint_kit/signing.key``."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    conf = read_conf(config_path()).get(KEY_CONF)
    if conf:
        return Path(conf)
    return Path.home() / ".complaint_kit" / KEY_FILE_NAME


def load_key(path: Path | None = None) -> bytes:
    """The signing key; :class:`KeyMissing` with a Chinese + English message when absent or unreadable."""
    from .domain.seal import parse_key

    p = path or key_path()
    try:
        text = p.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyMissing("E-NO-KEY", path=p, env=KEY_ENV, conf=KEY_CONF) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyMissing("E-KEY-UNREADABLE", path=p, reason=exc) from None
    try:
        return parse_key(text)
    except ValueError as exc:
        raise KeyMissing("E-KEY-MALFORMED", path=p, reason=exc) from None


def create_key(path: Path | None = None) -> Path:
    """Write a new random key (64 hex characters, mode 0600); refuses to overwrite."""
    import secrets

    from .domain.seal import KEY_BYTES

    p = path or key_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # FileExistsError when it exists
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(KEY_BYTES) + "\n")
    return p
