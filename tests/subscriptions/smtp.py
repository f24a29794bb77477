"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can
refuse or slow down recipients like a busy server does."""

import asyncio
import email
import socket
import threading
import time
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.refuse_once: set[str] = set()  # recipients refused (451) on their first RCPT
        self.refuse_always: dict[str, str] = {}  # recipient -> reply, e.g. "550 5.7.1 ..." or "451 4.3.0 ..."
        self.rcpt_delay = 0.0
        self.rcpt_started = threading.Event()  # set whenever a RCPT begins (to kill a worker mid-send)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_started.set()
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if address in self.refuse_always:
            return self.refuse_always[address]
        if address in self.refuse_once:
            self.refuse_once.discard(address)
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def digests_to(self, address: str) -> list:
        return [m for m in self.to(address) if m["List-Unsubscribe"]]

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return
            time.sleep(0.1)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)}")


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
