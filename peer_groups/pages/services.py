"""What the public pages say that comes from the live configuration, and the area's own words."""

from dataclasses import dataclass

from peer_groups.audit.services import record

# The date the accessibility statement was written and last checked (the law asks for it).
STATEMENT_DATE = (2026, 12, 1)


@dataclass(frozen=True)
class Retention:
    """How long each kind of data is kept: read from the configuration the purge itself uses."""

    meeting_months: int  # sign-ups and attendance, then anonymised
    dietary_idle_days: int  # dietary needs with no sign-up for this long are deleted
    aftercare_grace_days: int  # an account this long after the area's upper age is removed
    upper_age: int | None  # the area's age at which aftercare ends
    outbox_days: int  # sent messages (without their text)
    notice_days: int  # notices in the app
    inactive_months: int  # an unused account is told it will be removed ...
    removal_notice_days: int  # ... and removed this many days later


def retention(config, area=None) -> Retention:
    return Retention(
        meeting_months=config["RETENTION_MONTHS"],
        dietary_idle_days=config["DIETARY_IDLE_DAYS"],
        aftercare_grace_days=config["AFTERCARE_GRACE_DAYS"],
        upper_age=area.youth_upper_age if area is not None else None,
        outbox_days=config["OUTBOX_RETENTION_DAYS"],
        notice_days=config["NOTICE_RETENTION_DAYS"],
        inactive_months=config["INACTIVE_ACCOUNT_MONTHS"],
        removal_notice_days=config["ACCOUNT_REMOVAL_NOTICE_DAYS"],
    )


FIELDS = ("controller", "protection_officer", "contact", "pages_note")
# What changed, in the audit event's short detail (at most 32 characters).
SHORT = {"controller": "controller", "protection_officer": "dpo", "contact": "contact",
         "pages_note": "note"}


def update_public_pages(area, actor, **words):
    """The area's admin changes its words on the public pages; the change is audited."""
    changed = [name for name in FIELDS if (words.get(name) or "").strip() != getattr(area, name)]
    for name in changed:
        setattr(area, name, (words.get(name) or "").strip())
    if changed:
        record(actor, "area.public_pages_updated", obj=area, area_id=area.id,
               detail=",".join(SHORT[name] for name in changed))
    return changed
