"""Who is who in the service."""

from enum import StrEnum


class Role(StrEnum):
    YOUTH = "youth"
    WORKER = "worker"
    EXPERT = "expert"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.YOUTH


STAFF_ROLES = tuple(role for role in Role if role.is_staff)
FACILITATOR_ROLES = (Role.WORKER, Role.EXPERT)
