"""A real SMTP server on loopback for mail tests (aiosmtpd)."""

import asyncio
import email
import socket
import threading
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Collects every message the server accepts.

    While `hold` is set, a message's DATA is received but left unanswered (`held` says one
    arrived): a sender stopped then has sent the message without its being accepted, and
    a connection dropped meanwhile loses it (`dropped` says so), as with any SMTP server.
    """

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.hold = threading.Event()
        self.held = threading.Event()
        self.dropped = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        try:
            while self.hold.is_set():
                self.held.set()
                await asyncio.sleep(0.02)
        except asyncio.CancelledError:
            # aiosmtpd cancels the handler when the sender's connection drops.
            self.dropped.set()
            raise
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]


class SMTPServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
