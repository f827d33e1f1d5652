"""Where messages go: a local folder by default, an SMTP server by configuration."""

import smtplib
from email.message import EmailMessage
from pathlib import Path

from peer_groups.notifications.models import Channel


class FileBackend:
    """Writes each message to a file in OUTBOX_DIR, so a fresh install works offline."""

    def __init__(self, config):
        self.folder = Path(config["OUTBOX_DIR"])
        self.sender = config["MAIL_FROM"]

    def send(self, message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if message.channel is Channel.EMAIL:
            path = self.folder / f"{message.id:08d}-email.eml"
            path.write_bytes(bytes(as_email(message, self.sender)))
        else:
            path = self.folder / f"{message.id:08d}-sms.txt"
            path.write_text(f"To: {message.recipient}\n\n{message.body}", encoding="utf-8")


class SMTPBackend:
    def __init__(self, config):
        self.config = config

    def send(self, message) -> None:
        cfg = self.config
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls()
            if cfg["SMTP_USERNAME"]:
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
            smtp.send_message(as_email(message, cfg["MAIL_FROM"]))


def as_email(message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    return email


MAIL_BACKENDS = {"file": FileBackend, "smtp": SMTPBackend}
SMS_BACKENDS = {"file": FileBackend}


def backend_for(channel: Channel, config):
    if channel is Channel.EMAIL:
        return MAIL_BACKENDS[config["MAIL_BACKEND"]](config)
    return SMS_BACKENDS[config["SMS_BACKEND"]](config)
