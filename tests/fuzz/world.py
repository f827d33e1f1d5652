"""Two areas, each with people, groups, meetings and plans, and signed-in browsers for each role.

Area A is where the personas work; area B is the other area, whose objects' ids the fuzzer
also sends. The other area's admin ("other_admin") acts too, and then area A is the one that
must not change.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect

from peer_groups.areas.models import Area
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupMember
from peer_groups.meetings.models import MeetingStatus
from peer_groups.signups import services as signups
from tests import factories
from tests.conftest import CSRF, post, sign_in
from tests.helpers import assert_redirect

PERSONAS = ("anonymous", "youth", "worker", "expert", "coordinator", "admin", "other_admin",
            "superuser")
AREA_OF = {"anonymous": "A", "youth": "A", "worker": "A", "expert": "A", "coordinator": "A",
           "admin": "A", "other_admin": "B", "superuser": None}
PROTECTED = {"A": "B", "B": "A", None: None}  # the area a persona must never change


class World:
    """Ids by name ("A.group", "B.youth", ...), the rows of each area, and the personas."""

    def __init__(self, app):
        self.app = app
        self.ids: dict[str, int] = {}
        self.people = {}
        self.rows: dict[str, dict[str, set]] = {"A": {}, "B": {}}
        with app.app_context():
            self._build_area("A")
            self._build_area("B")
            superuser = factories.make_user(Role.ADMIN, area=None, is_superuser=True)
            self.people["superuser"] = superuser
            self.ids["superuser"] = superuser.id
            db.session.commit()
        self.clients = {}

    def _build_area(self, letter):
        area = factories.make_area()
        team = factories.make_team(area)
        staff = {role: factories.make_user(role, area=area) for role in Role if role.is_staff}
        youth = factories.make_user(Role.YOUTH, area=area)
        target_youth = factories.make_user(Role.YOUTH, area=area)
        target_worker = factories.make_user(Role.WORKER, area=area)
        # Added by an admin, not yet signed in: the one a welcome link is for.
        new_worker = factories.make_user(Role.WORKER, area=area, password=None)
        login_youth = factories.make_user(Role.YOUTH, area=area)
        login_worker = factories.make_user(Role.WORKER, area=area)
        facilitators = [staff[Role.WORKER], staff[Role.EXPERT]]
        group = factories.make_group(area, facilitators=facilitators,
                                     members=[youth, target_youth], team_id=team.id)
        spare_group = factories.make_group(area, facilitators=facilitators, members=[youth])
        meeting = factories.make_meeting(group)
        next_meeting = factories.make_meeting(group,
                                              starts_at=meeting.starts_at + timedelta(days=28))
        now = datetime.now(UTC).replace(microsecond=0)
        today_meeting = factories.make_meeting(group, starts_at=now - timedelta(hours=1))
        past_meeting = factories.make_meeting(group, starts_at=now - timedelta(days=20))
        # Called off with someone's place on it (to restore), and held two days ago with its
        # register closed (to reopen for corrections).
        called_off_meeting = factories.make_meeting(
            group, starts_at=meeting.starts_at + timedelta(days=3))
        closed_meeting = factories.make_meeting(
            group, starts_at=now - timedelta(days=2), status=MeetingStatus.HELD,
            register_closed_at=now - timedelta(days=2) + timedelta(hours=3))
        item = factories.make_plan_item(meeting)
        other_item = factories.make_plan_item(meeting)
        idea = factories.make_suggestion(group, youth)
        invitation = factories.make_invitation(group, max_uses=1000)
        signups.sign_up(meeting.id, youth)  # so that there is a place to cancel
        signups.sign_up(called_off_meeting.id, youth)
        called_off_meeting.status = MeetingStatus.CANCELLED
        consent.answer(target_youth, Purpose.ATTENDANCE, True)
        consent.answer(youth, Purpose.DIETARY, True)
        notice = factories.make_notice(youth, meeting_id=meeting.id)
        named = {
            "area": area, "team": team, "youth": youth, "target_youth": target_youth,
            "target_worker": target_worker, "new_worker": new_worker, "login_youth": login_youth,
            "login_worker": login_worker, "group": group, "spare_group": spare_group,
            "meeting": meeting, "next_meeting": next_meeting, "today_meeting": today_meeting,
            "past_meeting": past_meeting, "called_off_meeting": called_off_meeting,
            "closed_meeting": closed_meeting,
            "item": item, "other_item": other_item, "idea": idea, "invitation": invitation,
            "notice": notice,
            **{role.value: user for role, user in staff.items()},
        }
        for name, row in named.items():
            self.ids[f"{letter}.{name}"] = row.id
            table = inspect(row).mapper.local_table.name
            self.rows[letter].setdefault(table, set()).add((row.id,))
        self.ids[f"{letter}.invitation_token"] = invitation.token
        people = {name: named[name] for name in ("youth", "worker", "expert", "coordinator",
                                                 "admin")}
        if letter == "A":
            self.people.update(people)
            self.people["login_youth"] = login_youth
            self.people["login_worker"] = login_worker
        else:
            self.people["other_admin"] = named["admin"]

    def belongs_to(self, change, letter) -> bool:
        """Whether a changed row is, or points at, one of area `letter`'s objects."""
        rows = self.rows[letter]
        if change.key in rows.get(change.table, ()):
            return True
        table = db.metadata.tables[change.table]
        for key in table.foreign_keys:
            target = rows.get(key.column.table.name, ())
            if any((row.get(key.parent.name),) in target for row in change.values()):
                return True
        return False

    # --- browsers -------------------------------------------------------------------------

    def client(self, persona):
        """A signed-in browser for the persona, reused while its session lasts.

        New each time: a young person made for the example ("fresh_youth", who may erase
        their account); the anonymous browser is forgotten once a form signed it in.
        "unverified" has typed the password but not yet the authenticator's code;
        "unenrolled" has no authenticator.
        """
        if persona in self.clients:
            return self.clients[persona]
        client = self.app.test_client()
        if persona == "fresh_youth":
            sign_in(client, self._new_person(Role.YOUTH, member=True))
        elif persona in ("unverified", "unenrolled"):
            staff = self._new_person(Role.WORKER, totp_secret=None) \
                if persona == "unenrolled" else self._new_person(Role.WORKER)
            response = post(client, "/auth/sign-in",
                            {"identifier": staff.email, "password": factories.PASSWORD})
            assert_redirect(response)
        elif persona != "anonymous":
            sign_in(client, self.people[persona])
        page = client.get("/auth/link", follow_redirects=True).get_data(as_text=True)
        client.csrf = CSRF.search(page).group(1)
        if persona != "fresh_youth":
            self.clients[persona] = client
        return client

    def _new_person(self, role, member=False, **fields):
        with self.app.app_context():
            area = db.session.get(Area, self.ids["A.area"])
            person = factories.make_user(role, area=area, **fields)
            if member:
                db.session.add(GroupMember(group_id=self.ids["A.group"], user_id=person.id))
            db.session.commit()
        return person

    def forget_sessions(self):
        """After a sign-out, a password change or an erasure: sign in afresh when next asked."""
        self.clients.clear()

    def forget(self, persona):
        self.clients.pop(persona, None)
