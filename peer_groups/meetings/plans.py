"""A meeting's activity plan: add, change, reorder, remove and copy items."""

from decimal import Decimal

from sqlalchemy import func, select

from peer_groups.audit.services import record
from peer_groups.db import db
from peer_groups.meetings.models import Meeting, PlanItem, PlanKind

ITEM_FIELDS = ("kind", "title", "details", "materials", "responsible_id")


def cents(euros: Decimal | None) -> int | None:
    return None if euros is None else int((euros * 100).to_integral_value())


def plan_changed(meeting: Meeting) -> None:
    """Every change to a meeting's items goes through here: the young people's page of the
    meeting is cached per plan version (peer_groups/meetings/youth_page.py)."""
    meeting.plan_version = Meeting.plan_version + 1


def next_position(meeting: Meeting) -> int:
    highest = db.session.scalar(
        select(func.max(PlanItem.position)).where(PlanItem.meeting_id == meeting.id))
    return (highest or 0) + 1


def add_item(meeting: Meeting, actor, *, cost_euros=None, suggestion_id=None,
             **fields) -> PlanItem:
    item = PlanItem(meeting_id=meeting.id, position=next_position(meeting),
                    cost_cents=cents(cost_euros), suggestion_id=suggestion_id,
                    **{k: v for k, v in fields.items() if k in ITEM_FIELDS})
    item.kind = PlanKind(item.kind)
    item.responsible_id = item.responsible_id or None
    db.session.add(item)
    _outing_follows_plan(meeting, item)
    plan_changed(meeting)
    db.session.flush()
    record(actor, "plan_item.added", obj=item, area_id=meeting.group.area_id)
    return item


def update_item(item: PlanItem, actor, *, cost_euros=None, **fields) -> None:
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    item.kind = PlanKind(item.kind)
    item.responsible_id = item.responsible_id or None
    item.cost_cents = cents(cost_euros)
    _outing_follows_plan(item.meeting, item)
    plan_changed(item.meeting)
    record(actor, "plan_item.updated", obj=item, area_id=item.meeting.group.area_id)


def _outing_follows_plan(meeting: Meeting, item: PlanItem) -> None:
    """An outing on the plan makes the meeting an outing (it needs travel time)."""
    if item.kind is PlanKind.OUTING:
        meeting.is_outing = True


def remove_item(item: PlanItem, actor) -> None:
    record(actor, "plan_item.removed", obj=item, area_id=item.meeting.group.area_id)
    plan_changed(item.meeting)
    db.session.delete(item)


def move_item(item: PlanItem, direction: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1)."""
    items = list(item.meeting.plan_items)
    index = items.index(item)
    other = index + direction
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, each in enumerate(items, start=1):
            each.position = position
        plan_changed(item.meeting)


def copy_plan(source: Meeting, target: Meeting, actor) -> int:
    """Add the source meeting's items to the target's plan; responsibilities are not copied."""
    position = next_position(target)
    copied = 0
    for item in source.plan_items:
        db.session.add(PlanItem(meeting_id=target.id, position=position + copied,
                                kind=item.kind, title=item.title, details=item.details,
                                materials=item.materials, cost_cents=item.cost_cents))
        if item.kind is PlanKind.OUTING:
            target.is_outing = True
        copied += 1
    plan_changed(target)
    db.session.flush()
    record(actor, "plan.copied", obj=target, area_id=target.group.area_id)
    return copied
