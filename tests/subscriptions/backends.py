"""Test e-mail backends that fail like an SMTP server does (for the retry path
without services; the service-backed tests use a real SMTP server instead)."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Refuses the first ``failures`` messages, then delivers to the locmem outbox."""

    failures = 1
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).attempts <= type(self).failures:
            raise SMTPServerDisconnected("Connection unexpectedly closed (test)")
        return super().send_messages(messages)
