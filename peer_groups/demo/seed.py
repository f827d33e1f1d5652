"""Demo data: two areas, their teams and staff, young people, groups and a year of meetings.

Every demo account has the password DEMO_PASSWORD (listed in the README). Never in production.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, weekday
from sqlalchemy import select

from peer_groups.areas.models import Area, Team
from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.auth.passwords import hash_password
from peer_groups.consent.models import ConsentAnswer, ConsentText, DietaryNeeds
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import RuleKind
from peer_groups.domain.signups import SignupStatus
from peer_groups.feedback.models import FeedbackAnswer, FeedbackGiven
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.invitations.models import Invitation
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem, PlanKind
from peer_groups.signups.models import Signup
from peer_groups.sso.models import SsoProvider
from peer_groups.suggestions.models import Suggestion, SuggestionKind, SuggestionVote
from peer_groups.workload.models import AssignmentRole, ReducedMonth, StaffAssignment, TimeLog

DEMO_PASSWORD = "vertaisryhma-demo"  # noqa: S105 - documented demo password, refused in production
# Every demo staff account has this authenticator key (README); `flask demo-code` prints a code.
DEMO_TOTP_SECRET = "PEERGROUPSDEMOKEYPEERGROUPSDEMO2"  # noqa: S105 - documented demo key
# Päijät-Häme's staff may also sign in through `make sso-demo`'s provider (oidc-provider-mock on
# 127.0.0.1:9400, which takes any client). Without it running, the button says it is unreachable.
SSO_DEMO_PORT = 9400
DEMO_PROVIDER = {"display_name": "Päijät-Häme ID (demo)",
                 "issuer": f"http://127.0.0.1:{SSO_DEMO_PORT}", "client_id": "peer-groups-demo",
                 "client_secret": "demo-client-secret",  # noqa: S105 - the demo provider's
                 "email_domains": "example.fi", "mfa_acr_values": ""}
HELSINKI = ZoneInfo("Europe/Helsinki")

FIRST_NAMES = [
    "Aino", "Eino", "Helmi", "Onni", "Venla", "Leo", "Ella", "Elias", "Sofia", "Väinö",
    "Lilja", "Oliver", "Aada", "Niilo", "Emma", "Toivo", "Iida", "Eetu", "Pihla", "Lenni",
    "Siiri", "Aaro", "Minea", "Veeti", "Nelli", "Joel", "Kerttu", "Rasmus", "Alma", "Hugo",
    "Selma", "Otto", "Linnea", "Axel", "Ebba", "Nils", "Wilma", "Elsa", "Isak", "Saga",
    "Julia", "Emil", "Ronja", "Anton",
]

AREAS = [
    {
        "name": "Päijät-Häme",
        "upper_age": 25,
        "slug": "ph",
        "teams": ["Jälkihuolto Lahti", "Jälkihuolto Heinola"],
        "groups": [
            # name, team index, language, venue, address, (week of month, weekday), hour
            ("Lahden vertaisryhmä", 0, "fi", "Nuorisotalo Kulma", "Aleksanterinkatu 1, Lahti",
             (2, 1), 17),
            ("Heinolan iltaryhmä", 1, "fi", "Olkkari", "Kauppakatu 5, Heinola", (-1, 4), 16),
        ],
    },
    {
        "name": "Länsi-Uusimaa",
        "upper_age": 23,
        "slug": "lu",
        "teams": ["Jälkihuolto Lohja", "Eftervård Raseborg"],
        "groups": [
            ("Lohjan nuorten ilta", 0, "fi", "Nuorten tila Paja", "Laurinkatu 10, Lohja",
             (1, 2), 17),
            ("Kamratgruppen Ekenäs", 1, "sv", "Ungdomsgården", "Stationsvägen 3, Ekenäs",
             (3, 0), 17),
        ],
    },
]

STAFF = [
    # role, email local part, name
    (Role.ADMIN, "admin", "Anna Admin"),
    (Role.COORDINATOR, "koordinaattori", "Kaisa Koordinaattori"),
    (Role.WORKER, "ohjaaja1", "Olli Ohjaaja"),
    (Role.WORKER, "ohjaaja2", "Tiina Työntekijä"),
    (Role.EXPERT, "kokemus", "Kalle Kokemusasiantuntija"),
]

YOUTH_PER_AREA = 22
# Hours a month for peer work. Two workers run each meeting (the model's minimum), so each
# gives about 9 h a month to the two groups: 14 h, less the 20 % absence buffer, covers it.
# The coordinator's and the expert's own hours are set but not counted as the groups' staff
# time (the area counts only workers), as the workload page says.
PEER_HOURS = {Role.WORKER: Decimal(14), Role.COORDINATOR: Decimal(4), Role.EXPERT: Decimal(6)}
# The second worker's holiday month, this many months ahead: that month is short of staff
# hours and its meetings lack a worker, the one thing the coordinator has to sort out.
HOLIDAY_IN_MONTHS = 2
HOLIDAY_HOURS = Decimal(4)


def seed(now: datetime | None = None, rng: random.Random | None = None) -> dict[str, int]:
    """Add the demo data to the session (the caller commits) and say how much."""
    now = now or utcnow()
    rng = rng or random.Random(2026)  # noqa: S311 - demo data, not security
    password = hash_password(DEMO_PASSWORD)
    counts = {"areas": 0, "staff": 1, "youth": 0, "groups": 0, "meetings": 0}
    db.session.add(User(email="omistaja@example.fi", display_name="Olga Omistaja",
                        role=Role.ADMIN, is_superuser=True, password_hash=password,
                        totp_secret=DEMO_TOTP_SECRET))
    names = iter(FIRST_NAMES)
    for spec in AREAS:
        area = Area(name=spec["name"], youth_upper_age=spec["upper_age"],
                    controller=f"{spec['name']}n hyvinvointialue (demo)",
                    protection_officer=f"tietosuojavastaava@{spec['slug']}.example.fi",
                    contact=f"Jälkihuollon ohjaajat, jalkihuolto@{spec['slug']}.example.fi, "
                            "puh. 040 000 0000 (demo)")
        teams = [Team(name=name, area=area) for name in spec["teams"]]
        db.session.add_all([area, *teams])
        db.session.flush()
        if spec["slug"] == "ph":  # single sign-on with the provider of `make sso-demo`
            db.session.add(SsoProvider(area_id=area.id, **DEMO_PROVIDER))
        staff = {}
        for role, local, name in STAFF:
            language = "sv" if spec["slug"] == "lu" and role is Role.EXPERT else "fi"
            team = teams[1] if local == "ohjaaja2" else teams[0]  # each worker their team's
            staff[local] = User(area_id=area.id, team_id=team.id, role=role,
                                display_name=name, email=f"{local}.{spec['slug']}@example.fi",
                                password_hash=password, language=language,
                                totp_secret=DEMO_TOTP_SECRET,
                                monthly_peer_hours=PEER_HOURS.get(role))
        youth = [
            make_youth(area, index, next(names, f"Nuori{index}"), spec["slug"], password)
            for index in range(1, YOUTH_PER_AREA + 1)
        ]
        db.session.add_all([*staff.values(), *youth])
        db.session.flush()
        holiday = holiday_month(now)
        db.session.add(ReducedMonth(user_id=staff["ohjaaja2"].id, year=holiday[0],
                                    month=holiday[1], hours=HOLIDAY_HOURS))
        for index, group_spec in enumerate(spec["groups"]):
            members = youth[index::2][:-1]  # the last one is left to join by invitation
            own, other = staff[f"ohjaaja{index + 1}"], staff[f"ohjaaja{2 - index}"]
            facilitators = [own, staff["kokemus"]]
            counts["meetings"] += add_group(area, teams, group_spec, facilitators, members, now,
                                            invitation=f"demo-{spec['slug']}-{index + 1}",
                                            helper=other, away=(staff["ohjaaja2"], holiday),
                                            meets_today=index == 0)
        counts["areas"] += 1
        counts["staff"] += len(staff)
        counts["youth"] += len(youth)
        counts["groups"] += len(spec["groups"])
    db.session.flush()
    return counts


def make_youth(area, index, first_name, slug, password) -> User:
    """Half sign in with a username and password, half with links to email or phone."""
    with_password = index % 2 == 1
    return User(
        area_id=area.id,
        role=Role.YOUTH,
        display_name=first_name,
        username=f"nuori{index:02d}{slug}",
        email=f"nuori{index:02d}.{slug}@example.fi" if index % 3 else None,
        phone=f"+35840000{index:02d}{ord(slug[0]) % 10}" if index % 3 != 1 else None,
        password_hash=password if with_password else None,
        language="sv" if slug == "lu" and index % 4 == 0 else "fi",
        birth_year=date.today().year - 17 - index % 6,  # 17 to 22: inside aftercare
    )


def holiday_month(now: datetime) -> tuple[int, int]:
    """The holiday month: a couple of months ahead, never July (the groups rest then)."""
    month = (now.astimezone(HELSINKI) + relativedelta(months=HOLIDAY_IN_MONTHS)).date()
    if month.month == 7:
        month += relativedelta(months=1)
    return month.year, month.month


def add_group(area, teams, spec, facilitators, members, now, invitation, helper,
              away, meets_today=False) -> int:
    name, team_index, language, venue, address, (week, day), hour = spec
    group = Group(area_id=area.id, team_id=teams[team_index].id, name=name, language=language,
                  venue_name=venue, venue_address=address, default_capacity=10,
                  description=description_for(language), rule_kind=RuleKind.WEEKDAY.value,
                  rule_week=week, rule_weekday=day, skip_months="7",
                  default_start_time=time(hour), default_duration_minutes=120,
                  created_at=now - timedelta(days=400),  # long running: no start-up hours
                  venue_accessibility=ACCESSIBILITY[language])
    db.session.add(group)
    db.session.flush()
    db.session.add_all(GroupFacilitator(group_id=group.id, user_id=u.id) for u in facilitators)
    db.session.add_all(GroupMember(group_id=group.id, user_id=u.id) for u in members)
    db.session.add(Invitation(group_id=group.id, token=invitation, max_uses=50,
                              created_by_id=facilitators[0].id,
                              expires_at=now + timedelta(days=365)))
    local_now = now.astimezone(HELSINKI)
    first_month = (local_now - relativedelta(months=2)).replace(day=1, hour=0, minute=0,
                                                               second=0, microsecond=0)
    dates = [d.date() for d in rrule(MONTHLY, dtstart=first_month.replace(tzinfo=None),
                                     count=14, byweekday=weekday(day)(week))]
    today = local_now.date()
    by_rule = set(dates)
    if meets_today:  # the worker's demo day: this month's meeting is today, even in July
        dates = sorted({d for d in dates if (d.year, d.month) != (today.year, today.month)}
                       | {today})
    meetings = []
    for local_day in dates:
        if local_day.month == 7 and local_day != today:
            continue  # the groups rest in July
        starts = datetime.combine(local_day, time(hour), HELSINKI).astimezone(UTC)
        ends = starts + timedelta(hours=2)
        if meets_today and local_day == today:
            starts, ends = still_on_today(local_now, hour)
        meetings.append(Meeting(
            group_id=group.id, starts_at=starts, ends_at=ends,
            venue_name=venue, venue_address=address, capacity=10,
            from_rule=local_day in by_rule, venue_accessibility=ACCESSIBILITY[language],
            status=MeetingStatus.HELD if local_day < today else MeetingStatus.PLANNED,
        ))
    db.session.add_all(meetings)
    db.session.flush()
    leave_work_for_the_worker(meetings)
    add_plans_and_ideas(group, meetings, facilitators, members, now)
    add_staff_time(meetings, facilitators, now, helper, away)
    add_consents_and_signups(meetings, members, now)
    add_feedback(meetings, members, language, many=meets_today)
    return len(meetings)


def still_on_today(local_now: datetime, hour: int) -> tuple[datetime, datetime]:
    """Today's demo meeting at the group's hour, or, seeded later in the day, one that is
    on now (from the full hour, ending by midnight): it is still to be run."""
    start = max(local_now.replace(hour=hour, minute=0, second=0, microsecond=0),
                local_now.replace(minute=0, second=0, microsecond=0))
    midnight = datetime.combine(local_now.date() + timedelta(days=1), time(), HELSINKI)
    end = min(start + timedelta(hours=2), midnight - timedelta(minutes=1))
    return start.astimezone(UTC), end.astimezone(UTC)


def on_a_past_day(meeting, now) -> bool:
    """Before today in Helsinki: today's meeting is still to be run, whatever the hour."""
    return meeting.starts_at.astimezone(HELSINKI).date() < now.astimezone(HELSINKI).date()


def leave_work_for_the_worker(meetings) -> None:
    """Registers of held meetings are closed, except the latest one's: a worker forgot to
    close it, so the meeting is not held yet. (The hours of the one before are left out in
    add_staff_time.) Both show under "Needs you" on the worker's home."""
    held = [m for m in meetings if m.status is MeetingStatus.HELD]
    for meeting in held[:-1]:
        meeting.register_closed_at = meeting.ends_at + timedelta(minutes=15)
    if held:
        held[-1].status = MeetingStatus.PLANNED


def add_consents_and_signups(meetings, members, now) -> None:
    """A mix, as in real life: some say yes to attendance by name, some to reminders or
    dietary needs, some to nothing. The next meeting has sign-ups and a waiting list."""
    texts = {}
    for index, person in enumerate(members):
        texts = texts or {text.purpose: text.id for text in db.session.scalars(  # their area's
            select(ConsentText).where(ConsentText.area_id == person.area_id)
            .order_by(ConsentText.version))}
        answers = {Purpose.ATTENDANCE: index % 2 == 0, Purpose.REMINDERS: index % 3 == 0,
                   Purpose.DIETARY: index % 4 == 0}
        for purpose, given in answers.items():
            if purpose in texts and (given or index % 5 == 1):
                db.session.add(ConsentAnswer(user_id=person.id, purpose=purpose,
                                             text_id=texts[purpose], given=given,
                                             answered_at=now - timedelta(days=60)))
        if answers[Purpose.DIETARY]:
            db.session.add(DietaryNeeds(user_id=person.id,
                                        needs=("vegan", "gluten_free", "")[index % 3]))
    coming = [m for m in meetings if not on_a_past_day(m, now)]
    if coming:
        meeting = coming[0]
        meeting.capacity = 8  # full, with a waiting list
        for position, person in enumerate(members[:meeting.capacity + 2]):
            confirmed = position < meeting.capacity
            db.session.add(Signup(meeting_id=meeting.id, user_id=person.id,
                                  status=SignupStatus.CONFIRMED if confirmed else
                                  SignupStatus.WAITLISTED,
                                  requested_at=now - timedelta(hours=48 - position)))
        meeting.taken = min(meeting.capacity, len(members))
    held = [m for m in meetings if on_a_past_day(m, now)]
    for meeting in held[-3:]:
        for index, person in enumerate(members[:6]):
            if index % 2 == 0:  # the ones with attendance consent are named
                db.session.add(Attendance(meeting_id=meeting.id, user_id=person.id,
                                          present=True))
        meeting.headcount = 3


# The young people's answers to each group's last held meeting: seven in the first group of an
# area (shown to its workers), three in the second (fewer than five: only their number shows).
# (rating, again, next time)
FEEDBACK = {
    "fi": [(5, "yes", "Keilaamaan!"), (5, "yes", None), (4, "yes", "Lisää pizzaa"),
           (4, "maybe", None), (3, "yes", None), (5, "yes", "Elokuvailta"), (2, "maybe", None)],
    "sv": [(5, "yes", "Bowling!"), (5, "yes", None), (4, "yes", "Mer pizza"),
           (4, "maybe", None), (3, "yes", None), (5, "yes", "Filmkväll"), (2, "maybe", None)],
}
FEW = [(4, "yes", None), (3, "maybe", None), (5, "yes", None)]


def add_feedback(meetings, members, language, many: bool) -> None:
    """Answers for the last held meeting, in the order of what they say, and who gave them."""
    held = [m for m in meetings if m.status is MeetingStatus.HELD]
    if not held:
        return
    answers = FEEDBACK.get(language, FEEDBACK["fi"]) if many else FEW
    db.session.add_all(FeedbackAnswer(meeting_id=held[-1].id, rating=rating, again=again,
                                      next_time=line)
                       for rating, again, line in sorted(answers, key=str))
    db.session.add_all(FeedbackGiven(meeting_id=held[-1].id, user_id=person.id)
                       for person in members[:len(answers)])


def add_staff_time(meetings, facilitators, now, helper, away) -> None:
    """The group's worker leads every meeting and the other worker helps, but in the month
    the second worker is on holiday they work at neither group: its meetings lack a worker.
    Held ones have hours logged; one meeting late in the year has nobody assigned yet."""
    worker, expert = facilitators
    absent, holiday = away
    held = [m for m in meetings if m.status is MeetingStatus.HELD]
    hours_left_out = held[-1] if held else None  # the worker's home asks for these hours
    for index, meeting in enumerate(meetings):
        if index == len(meetings) - 2:
            continue
        local = meeting.starts_at.astimezone(HELSINKI)
        for person, role in ((worker, AssignmentRole.LEAD),
                             (helper, AssignmentRole.CO_FACILITATOR)):
            if person is not absent or (local.year, local.month) != holiday:
                db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=person.id,
                                               role=role))
        if index % 2 == 0:
            db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=expert.id,
                                           role=AssignmentRole.EXPERT))
        if meeting.status is MeetingStatus.HELD and meeting is not hours_left_out:
            meeting.headcount = 6
            db.session.add(TimeLog(meeting_id=meeting.id, user_id=worker.id,
                                   hours=Decimal("7.5")))


def add_plans_and_ideas(group, meetings, facilitators, members, now) -> None:
    """The last held meeting and the next one get plans; members have ideas and votes."""
    held = [m for m in meetings if on_a_past_day(m, now)]
    coming = [m for m in meetings if not on_a_past_day(m, now)]
    texts = PLANS[group.language]
    for meeting in held[-1:] + coming[:1]:
        for position, (kind, title, details, cost) in enumerate(texts, start=1):
            db.session.add(PlanItem(meeting_id=meeting.id, position=position, kind=kind,
                                    title=title, details=details, cost_cents=cost,
                                    responsible_id=facilitators[0].id if position == 1 else
                                    members[0].id if position == 2 else None))
    for index, (kind, title) in enumerate(IDEAS[group.language]):
        idea = Suggestion(group_id=group.id, author_id=members[index].id, kind=kind, title=title)
        db.session.add(idea)
        db.session.flush()
        for voter in members[index:4]:  # the first idea gets the most votes
            db.session.add(SuggestionVote(suggestion_id=idea.id, user_id=voter.id))


ACCESSIBILITY = {
    "fi": "Esteetön sisäänkäynti pihan puolelta. Inva-WC.",
    "sv": "Tillgänglig ingång från gården. Tillgänglig toalett.",
}

PLANS = {
    "fi": [
        (PlanKind.SNACK, "Pizzaa ja salaattia", "Myös kasvis- ja gluteeniton vaihtoehto.", 3500),
        (PlanKind.ACTIVITY, "Lautapeli-ilta", "Tuo oma lempipelisi, jos haluat.", None),
        (PlanKind.DISCUSSION, "Mitä tehdään keväällä?", "Suunnitellaan yhdessä.", None),
    ],
    "sv": [
        (PlanKind.SNACK, "Tacos", "Också vegetariskt.", 3000),
        (PlanKind.ACTIVITY, "Frågesport", "Lag om tre.", None),
        (PlanKind.DISCUSSION, "Vad gör vi i vår?", "Vi planerar tillsammans.", None),
    ],
}

IDEAS = {
    "fi": [(SuggestionKind.ACTIVITY, "Keilaus"), (SuggestionKind.SNACK, "Tacot"),
           (SuggestionKind.ACTIVITY, "Pakohuone")],
    "sv": [(SuggestionKind.ACTIVITY, "Bowling"), (SuggestionKind.SNACK, "Pannkakor"),
           (SuggestionKind.ACTIVITY, "Escape room")],
}


def description_for(language: str) -> str:
    if language == "sv":
        return "Vi träffas en gång i månaden, äter något gott och hittar på saker tillsammans."
    return "Tavataan kerran kuussa, syödään jotain hyvää ja tehdään yhdessä kivoja juttuja."
