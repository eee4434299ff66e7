"""A real SMTP server on loopback (aiosmtpd) that records what it accepted.

``hold_message(n)`` makes the n-th message hang before the server answers, so a
test can kill the sender in the middle of sending; a held message is refused (451)
when released, or accepted with ``accept=True``. ``slow_quit(n)`` makes the QUIT after
the n-th accepted message hang: the message has had its 250, the sender has not closed.
``accepted_at`` holds the ``time.perf_counter()`` of each 250, for measuring what follows it.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.received = 0
        self.accepted_at: list[float] = []
        self.hold_at: int | None = None
        self.accept_held = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.quit_after: int | None = None
        self.answer_delay = 0.0  # seconds before answering each RCPT and each message
        self.quitting = threading.Event()
        self._lock = threading.Lock()

    def hold_message(self, number: int, *, accept: bool = False) -> None:
        self.hold_at, self.accept_held = number, accept

    def slow_quit(self, accepted: int) -> None:
        """Hang the QUIT that follows the ``accepted``-th accepted message until ``release``."""
        self.quit_after = accepted

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        await asyncio.sleep(self.answer_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.answer_delay)
        with self._lock:
            self.received += 1
            number = self.received
        if number == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            if not self.accept_held:
                return "451 Requested action aborted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.accepted_at.append(time.perf_counter())
            session.accepted = len(self.messages)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope) -> str:
        if self.quit_after is not None and getattr(session, "accepted", None) == self.quit_after:
            self.quitting.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "221 Bye"

    def count_by_recipient(self) -> Counter:
        with self._lock:
            return Counter(message["To"] for message in self.messages)

    def count_by_message_id(self) -> Counter:
        with self._lock:
            return Counter(message["Message-ID"] for message in self.messages)


class LoopbackSMTPServer:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> LoopbackSMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.handler.release.set()
        self.controller.stop()
