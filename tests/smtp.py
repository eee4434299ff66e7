"""A real SMTP server on loopback (aiosmtpd) that records what it accepted.

``hold_message(n)`` makes the n-th message hang before the server answers, so a
test can kill the sender in the middle of sending; a held message is never
counted as accepted.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
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
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def hold_message(self, number: int) -> None:
        self.hold_at = number

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self.received += 1
            number = self.received
        if number == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 Requested action aborted"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def count_by_recipient(self) -> Counter:
        with self._lock:
            return Counter(message["To"] for message in self.messages)


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
