"""A private Dovecot IMAP server on loopback, for tests of code that polls a mailbox.

The mailbox poller talks IMAP through imap-tools; a fake server would only prove that the
poller agrees with the fake. So tests get Debian's real Dovecot, started once per test session
(once per xdist worker) with a config of its own in a temporary directory: its own port on
127.0.0.1, plaintext login without TLS, passwd-file users, Maildir storage and logs in that
directory. A system-wide Dovecot, if one runs, is never touched.

``imap_server`` (session) is the running server; ``imap_mailbox`` (per test) is the same
server with every account emptied first. Both give an :class:`ImapServer`, whose helpers
deliver and inspect mail through Python's own imaplib, independently of imap-tools.

A missing ``dovecot`` skips these tests locally and fails them in CI (``CI=true``), like the
project's other real services. Tests using the fixtures are marked ``imap`` automatically.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import email
import email.policy
import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import _needs

HOST = "127.0.0.1"
MAIN_USERNAME = "complaints@servicecraft.test"
OTHER_USERNAME = "someone-else@servicecraft.test"
STARTUP_SECONDS = 15.0
# Per-session state the server reports to whichever connection first sees a message: noise
# for tests, so messages() leaves it out.
RECENT_FLAG = "\\Recent"


@dataclasses.dataclass(frozen=True)
class StoredMessage:
    """One message as the server holds it."""

    uid: int
    flags: frozenset[str]
    raw: bytes

    @property
    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclasses.dataclass(frozen=True)
class ImapServer:
    """Where the private Dovecot listens, whose mailbox the helpers act on, and the helpers.

    ``username``/``password`` are the main test account; ``accounts`` holds every account
    (username -> password); ``mailbox_of(username)`` gives the same helpers for another one.
    UIDs keep growing across ``reset()``, as on a real server: never hard-code them.
    """

    host: str
    port: int
    username: str
    password: str
    accounts: Mapping[str, str]
    log_path: Path

    def mailbox_of(self, username: str) -> ImapServer:
        return dataclasses.replace(self, username=username, password=self.accounts[username])

    @contextlib.contextmanager
    def imap_connection(self) -> Iterator[imaplib.IMAP4]:
        """A logged-in imaplib connection to this account, logged out afterwards."""
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            connection.login(self.username, self.password)
            yield connection
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                connection.logout()

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        *,
        flags: Iterable[str] = (),
        received_at: datetime | None = None,
    ) -> int:
        """Deliver a raw RFC 822 message with IMAP APPEND and return its UID.

        imaplib turns bare LF line endings into CRLF, as an MTA would on delivery.
        """
        flag_list = " ".join(flags)
        with self.imap_connection() as connection:
            _, data = _ok(
                connection.append(
                    _quoted(folder),
                    f"({flag_list})" if flag_list else None,
                    imaplib.Time2Internaldate(received_at) if received_at else None,
                    raw,
                )
            )
        appended = re.search(rb"\[APPENDUID \d+ (\d+)\]", data[0] or b"")
        assert appended, f"Dovecot did not report the appended UID: {data!r}"
        return int(appended.group(1))

    def messages(self, folder: str = "INBOX") -> list[StoredMessage]:
        """What is in ``folder``, oldest UID first; read-only, so no flag changes on the way."""
        with self.imap_connection() as connection:
            _, data = _ok(connection.select(_quoted(folder), readonly=True))
            if int(data[0] or 0) == 0:
                return []
            _, fetched = _ok(connection.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])"))
        return sorted(_stored_messages(fetched), key=lambda message: message.uid)

    def create_folder(self, name: str) -> None:
        with self.imap_connection() as connection:
            _ok(connection.create(_quoted(name)))

    def folders(self) -> list[str]:
        with self.imap_connection() as connection:
            return _folder_names(connection)

    def reset(self) -> None:
        """Empty every account: all folders but INBOX deleted, every INBOX message expunged."""
        for username in self.accounts:
            self.mailbox_of(username)._empty()

    def _empty(self) -> None:
        with self.imap_connection() as connection:
            # Children before parents, so no folder is left holding a child.
            for name in sorted(_folder_names(connection), key=len, reverse=True):
                if name.upper() == "INBOX":
                    continue
                _ok(connection.delete(_quoted(name)))
                connection.unsubscribe(_quoted(name))
            _, data = _ok(connection.select("INBOX"))
            if int(data[0] or 0):
                _ok(connection.uid("STORE", "1:*", "+FLAGS.SILENT", "(\\Deleted)"))
                _ok(connection.expunge())


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    """A private Dovecot for the whole session, stopped (and its directory removed) at the end."""
    executable = shutil.which("dovecot", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    _needs("dovecot (apt-get install dovecot-imapd)", executable is not None)
    assert executable is not None
    version = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout.strip()
    # Dovecot 2.4 renamed and restructured most settings used here (mail_location, passdb
    # args, disable_plaintext_auth); only the 2.3 config (Debian 12) is written and tried.
    _needs(f"Dovecot 2.3 (found {version or 'an unknown version'})", version.startswith("2.3."))
    with _running_dovecot(executable) as server:
        yield server


@pytest.fixture
def imap_mailbox(imap_server: ImapServer) -> ImapServer:
    """The session's server with every account emptied, for a test that starts from no mail."""
    imap_server.reset()
    return imap_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever needs the IMAP server is an ``imap`` test, so ``-m "not imap"`` leaves it out."""
    for item in items:
        if "imap_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.imap)


@dataclasses.dataclass(frozen=True)
class _Identity:
    """The system users Dovecot's processes and the mail files run as.

    Dovecot refuses to run its login processes as root and refuses UID 0 for mail. As root
    (CI), the master stays root and the rest drop to the package's own users (``dovenull``
    for logins, ``dovecot`` for internals) and to ``nobody`` for mail. As anyone else
    (Dovecot's "rootless" mode) everything runs as that user.
    """

    login_user: str
    internal_user: str
    internal_group: str
    mail_uid: int
    mail_gid: int

    @classmethod
    def for_this_process(cls) -> _Identity:
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid())
            group = grp.getgrgid(me.pw_gid).gr_name
            return cls(me.pw_name, me.pw_name, group, me.pw_uid, me.pw_gid)
        internal = _existing_user("dovecot")
        mail = pwd.getpwnam("nobody")
        return cls(
            login_user=_existing_user("dovenull").pw_name,
            internal_user=internal.pw_name,
            internal_group=grp.getgrgid(internal.pw_gid).gr_name,
            mail_uid=mail.pw_uid,
            mail_gid=mail.pw_gid,
        )


def _existing_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return pwd.getpwnam("nobody")


def _dovecot_config(root: Path, port: int, identity: _Identity) -> str:
    return f"""\
# Written by tests/imap_server.py for one test session; nothing else reads it.
instance_name = {root.name}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
default_login_user = {identity.login_user}
default_internal_user = {identity.internal_user}
default_internal_group = {identity.internal_group}
first_valid_uid = {identity.mail_uid}
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
# Chroot needs root: without it Dovecot also runs as an ordinary user (a developer's laptop).
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _passwd_file(root: Path, accounts: Mapping[str, str], identity: _Identity) -> str:
    # user:password:uid:gid:gecos:home:shell:extra — PLAIN passwords: throwaway test accounts.
    return "".join(
        f"{username}:{{PLAIN}}{password}:{identity.mail_uid}:{identity.mail_gid}::{root}/mail/{username}::\n"
        for username, password in accounts.items()
    )


@contextlib.contextmanager
def _running_dovecot(executable: str) -> Iterator[ImapServer]:
    identity = _Identity.for_this_process()
    accounts = {username: secrets.token_urlsafe(12) for username in (MAIN_USERNAME, OTHER_USERNAME)}
    last_failure = ""
    # A free port can be taken between finding it and Dovecot binding it: try a few.
    for _ in range(3):
        root = Path(tempfile.mkdtemp(prefix="servicecraft-dovecot-"))
        process: subprocess.Popen[bytes] | None = None
        try:
            _prepare_directory(root, accounts, identity)
            port = _free_port()
            (root / "dovecot.conf").write_text(_dovecot_config(root, port, identity))
            with (root / "dovecot.stderr").open("wb") as stderr:
                # -F keeps the master in the foreground as our child, so we stop and reap it.
                process = subprocess.Popen(
                    [executable, "-F", "-c", str(root / "dovecot.conf")],
                    stdin=subprocess.DEVNULL,
                    stdout=stderr,
                    stderr=stderr,
                )
            server = ImapServer(
                host=HOST,
                port=port,
                username=MAIN_USERNAME,
                password=accounts[MAIN_USERNAME],
                accounts=accounts,
                log_path=root / "dovecot.log",
            )
            last_failure = _wait_until_serving(process, server, root)
            if not last_failure:
                yield server
                return
            if "in use" not in last_failure:
                break
        finally:
            if process is not None:
                _stop(process)
            shutil.rmtree(root, ignore_errors=True)
    pytest.fail(f"the test Dovecot did not start:\n{last_failure}")


def _prepare_directory(root: Path, accounts: Mapping[str, str], identity: _Identity) -> None:
    # Dovecot's unprivileged processes read the passwd file and write the mail: as root they
    # are other users, so the directory must let them in (mkdtemp makes it owner-only).
    root.chmod(0o755)
    passwd = root / "passwd"
    passwd.write_text(_passwd_file(root, accounts, identity))
    passwd.chmod(0o644)
    mail = root / "mail"
    mail.mkdir()
    if os.geteuid() == 0:
        os.chown(mail, identity.mail_uid, identity.mail_gid)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_until_serving(process: subprocess.Popen[bytes], server: ImapServer, root: Path) -> str:
    """Wait for a real login to succeed; return why it did not ('' when it did)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"dovecot exited with {process.returncode}\n{_logs(root)}"
        try:
            with server.imap_connection() as connection:
                _ok(connection.noop())
            return ""
        except (OSError, imaplib.IMAP4.abort):  # not listening yet, or hung up on us
            time.sleep(0.05)
        except imaplib.IMAP4.error as error:  # it answers, but refuses us: a config problem
            return f"login failed: {error}\n{_logs(root)}"
    return f"no IMAP login on {server.host}:{server.port} within {STARTUP_SECONDS:.0f}s\n{_logs(root)}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # the master stops its child processes on SIGTERM
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _logs(root: Path) -> str:
    return "\n".join(
        f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
        for path in (root / "dovecot.stderr", root / "dovecot.log")
        if path.exists()
    )


def _ok(response: tuple[str, list]) -> tuple[str, list]:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{status}: {data!r}")
    return status, data


def _stored_messages(fetched: list) -> Iterator[StoredMessage]:
    # imaplib gives (b'1 (UID 7 FLAGS (\\Seen) BODY[] {123}', b'<raw>') followed by b')' or,
    # when the server puts items after the literal, by b' FLAGS (...))'.
    for index, item in enumerate(fetched):
        if not isinstance(item, tuple):
            continue
        prefix, raw = item
        following = fetched[index + 1] if index + 1 < len(fetched) else b""
        attributes = prefix + (following if isinstance(following, bytes) else b"")
        uid = re.search(rb"UID (\d+)", attributes)
        flags = re.search(rb"FLAGS \(([^)]*)\)", attributes)
        assert uid and flags, f"unexpected FETCH response: {item!r}"
        yield StoredMessage(
            uid=int(uid.group(1)),
            flags=frozenset(flags.group(1).decode().split()) - {RECENT_FLAG},
            raw=raw,
        )


_LIST_LINE = re.compile(rb'\((?P<attributes>[^)]*)\) (?P<delimiter>"[^"]*"|NIL) (?P<name>.*)')


def _folder_names(connection: imaplib.IMAP4) -> list[str]:
    _, data = _ok(connection.list())
    names = []
    for item in data:
        if item is None:
            continue
        # A name the server sends as a literal arrives as (b'(...) "." {5}', b'name').
        line, literal = item if isinstance(item, tuple) else (item, None)
        listed = _LIST_LINE.match(line)
        assert listed, f"unexpected LIST response: {item!r}"
        name = literal if literal is not None else listed.group("name")
        if name.startswith(b'"'):
            name = re.sub(rb'\\(["\\])', rb"\1", name[1:-1])
        names.append(_from_modified_utf7(name.decode("ascii")))
    return names


def _quoted(folder: str) -> str:
    """A folder name as an IMAP quoted string in modified UTF-7 (RFC 3501 5.1.3)."""
    encoded = _to_modified_utf7(folder)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _to_modified_utf7(text: str) -> str:
    encoded: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            encoded.append("&" + chunk.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for character in text:
        if 0x20 <= ord(character) <= 0x7E:
            flush()
            encoded.append("&-" if character == "&" else character)
        else:
            pending.append(character)
    flush()
    return "".join(encoded)


def _from_modified_utf7(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        chunk = match.group(1)
        if not chunk:
            return "&"
        padded = chunk.replace(",", "/") + "=" * (-len(chunk) % 4)
        return base64.b64decode(padded).decode("utf-16-be")

    return re.sub(r"&([^-]*)-", decode, text)
