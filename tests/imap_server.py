"""A real IMAP server for the tests of the reply mailbox (manage.py read_reply_mailbox):
Debian's dovecot, started by the ``reply_mailbox`` fixture on 127.0.0.1 on a free port, with
a config, a passwd-file and a maildir of its own, and stopped by its process id.

Run as the current user. Dovecot's login processes refuse to run as root, so under root
they run as dovecot's own unprivileged users (Debian's package creates them), the mailbox
belongs to ``nobody``, and the files live in a directory those users can reach (pytest's
tmp_path is private to root)."""

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live import free_port

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "svar", "svarslosen-for-test"


@dataclass
class Mailbox:
    host: str
    port: int
    user: str
    password: str

    def connect(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def deliver(self, raw: bytes, mailbox: str = "INBOX") -> None:
        imap = self.connect()
        try:
            imap.append(mailbox, None, None, raw)
        finally:
            imap.logout()

    def flags(self, mailbox: str = "INBOX") -> list[str]:
        """The flags of every message in ``mailbox``, in order."""
        imap = self.connect()
        try:
            imap.select(f'"{mailbox}"', readonly=True)
            status, data = imap.search(None, "ALL")
            numbers = data[0].split()
            found = []
            for number in numbers:
                _status, flags = imap.fetch(number, "(FLAGS)")
                found.append(flags[0].decode())
            return found
        finally:
            imap.logout()


def _config(
    base: Path, port: int, login_user: str, internal_user: str, mail_uid: int, mail_gid: int
):
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={base}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _wait_for(port: int, process, log: Path, timeout=15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            imaplib.IMAP4("127.0.0.1", port, timeout=1).logout()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not start listening in time")


@contextmanager
def dovecot(tmp_path: Path):
    """A running dovecot with one user (USER/PASSWORD); yields a Mailbox."""
    root = os.geteuid() == 0
    if root:
        base = Path(tempfile.mkdtemp(prefix="samverk-dovecot-"))
        base.chmod(0o755)
        nobody = pwd.getpwnam("nobody")
        login_user, internal_user = "dovenull", "dovecot"
        mail_uid, mail_gid = nobody.pw_uid, nobody.pw_gid
    else:
        base = tmp_path / "dovecot"
        base.mkdir()
        me = pwd.getpwuid(os.geteuid())
        login_user = internal_user = me.pw_name
        mail_uid, mail_gid = me.pw_uid, me.pw_gid
    (base / "mail").mkdir()
    if root:
        os.chown(base / "mail", mail_uid, mail_gid)
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = free_port()
    conf = base / "dovecot.conf"
    conf.write_text(_config(base, port, login_user, internal_user, mail_uid, mail_gid))
    process = subprocess.Popen(  # noqa: S603
        [DOVECOT, "-F", "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process, base / "dovecot.log")
        yield Mailbox("127.0.0.1", port, USER, PASSWORD)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if root:
            shutil.rmtree(base, ignore_errors=True)


def dovecot_missing_reason() -> str:
    if not os.path.exists(DOVECOT):
        return "dovecot is not installed (bin/ensure-test-services installs dovecot-imapd)"
    if os.geteuid() == 0:
        for name in ("dovenull", "dovecot", "nobody"):
            try:
                pwd.getpwnam(name)
            except KeyError:
                return f"running as root needs the system user {name!r} (Debian's dovecot-core)"
    return ""
