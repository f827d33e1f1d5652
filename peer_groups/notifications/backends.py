"""Where messages go: a local folder by default, an SMTP server by configuration."""

import smtplib
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from peer_groups.notifications.models import Channel


class FileBackend:
    """Writes each message to a file in OUTBOX_DIR, so a fresh install works offline."""

    def __init__(self, config):
        self.folder = Path(config["OUTBOX_DIR"])
        self.sender = config["MAIL_FROM"]

    def path_of(self, message) -> Path:
        kind = "email.eml" if message.channel is Channel.EMAIL else "sms.txt"
        return self.folder / f"{message.id:08d}-{kind}"

    def send(self, message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path_of(message)
        if message.channel is Channel.EMAIL:
            path.write_bytes(bytes(as_email(message, self.sender)))
        else:
            path.write_text(f"To: {message.recipient}\n\n{message.body}", encoding="utf-8")

    def copy_of(self, message) -> str | None:
        """The text as delivered, read back from its file; None if the file is gone."""
        path = self.path_of(message)
        if not path.is_file():
            return None
        if message.channel is Channel.EMAIL:
            parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            return parsed.get_content()
        return path.read_text(encoding="utf-8").split("\n\n", 1)[-1]


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


def delivered_copy(message, config) -> str | None:
    """The file backend's copy of a sent message, for the development outbox page."""
    chosen = config["MAIL_BACKEND"] if message.channel is Channel.EMAIL else config["SMS_BACKEND"]
    return FileBackend(config).copy_of(message) if chosen == "file" else None


def backend_for(channel: Channel, config):
    if channel is Channel.EMAIL:
        return MAIL_BACKENDS[config["MAIL_BACKEND"]](config)
    return SMS_BACKENDS[config["SMS_BACKEND"]](config)
