"""Every POST route: its form, its URL parameters, and the tables it may change when it accepts.

`writes` is the promise checked on every accepted request: no table outside it changes (the
audit trail, sessions and sign-in counters aside, see watch.py). A refused request, whether a
4xx, a form shown again with errors or a redirect with an error message, changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from hypothesis import strategies as st

from peer_groups.account.forms import (
    ChangePasswordForm,
    ChannelForm,
    ContactCodeForm,
    EmailForm,
    PhoneForm,
    ProfileForm,
)
from peer_groups.admin.forms import AreaForm, StaffForm, TeamForm
from peer_groups.auth.forms import (
    CodeForm,
    LinkRequestForm,
    NewPasswordForm,
    ReauthenticateForm,
    ResetRequestForm,
    SetupCodeForm,
    SignInForm,
)
from peer_groups.consent.forms import ConsentTextForm, DietaryForm, RecordConsentForm
from peer_groups.domain import workload as model
from peer_groups.feedback.forms import FeedbackForm
from peer_groups.group_messages.forms import GroupMessageForm
from peer_groups.groups.forms import CancelForm, GroupForm, MeetingForm, ScheduleForm
from peer_groups.invitations.forms import FinishJoinForm, InvitationForm, JoinForm
from peer_groups.main.forms import LanguageForm
from peer_groups.meetings.forms import CopyPlanForm, PlanItemForm
from peer_groups.meetings.signup_forms import AddPersonForm, RemovePersonForm
from peer_groups.meetings.staffing_forms import AssignForm, TimeLogForm
from peer_groups.pages.forms import PublicPagesForm
from peer_groups.sso.forms import ProviderForm
from peer_groups.suggestions.forms import AdoptForm, CloseForm, SuggestionForm
from peer_groups.workload.forms import ReducedMonthForm, StaffHoursForm, parameter_form
from tests.fuzz.strategies import Fields, Ref, ids, query_values

AREAS = ("A", "B")
OBJECTS = ("area", "team", "youth", "target_youth", "target_worker", "login_youth",
           "login_worker", "group", "spare_group", "meeting", "next_meeting", "today_meeting",
           "past_meeting", "called_off_meeting", "closed_meeting", "item", "other_item", "idea",
           "invitation", "worker", "expert", "coordinator", "admin", "notice")
REFS = [f"{a}.{o}" for a in AREAS for o in OBJECTS] + ["superuser"]


def both(*names):
    return [f"{a}.{n}" for a in AREAS for n in names]


# URL parameters: own objects, the other area's, and ids that exist nowhere.
GROUP = ids(*both("group", "spare_group"))
MEETING = ids(*both("meeting", "next_meeting", "today_meeting", "past_meeting"))
# A called-off meeting to restore, a closed register to reopen (and meetings that are neither).
CALLED_OFF = ids(*both("called_off_meeting", "meeting", "past_meeting"))
CLOSED = ids(*both("closed_meeting", "meeting", "past_meeting"))
ITEM = ids(*both("item", "other_item"))
IDEA = ids(*both("idea"))
INVITATION = ids(*both("invitation"))
NOTICE_ID = ids(*both("notice"))  # a young person's notice in the app
ANSWER = st.uuids()  # feedback answers: none in the world, so a line is never found
AREA = ids(*both("area"))
TEAM = ids(*both("team"))
# People acted upon by admins: never the signed-in personas themselves, whose sessions and
# passwords the other examples need.
COLLEAGUE = ids(*both("target_worker", "target_youth", "login_worker"), "superuser")
PERSON_AT_MEETING = ids(*both("youth", "target_youth", "worker", "expert"))
TOKEN = st.one_of(st.just("live"), st.text(min_size=1, max_size=60), query_values())
# The version a consent text's preview compared with: mostly the current one, so some publish.
SEEN_VERSION = st.one_of(st.sampled_from(("1", "1", "2")), query_values())
PURPOSE = st.one_of(st.sampled_from(("attendance", "reminders", "dietary")), query_values())
KIND = st.one_of(st.sampled_from(("email", "phone")), query_values())


def form(form_class, prefix="", **extra):
    return Fields.of(form_class, REFS, prefix=prefix, extra=extra)


def choice(*values):
    return st.sampled_from(values)


def one_of_ours(*names):
    """A choice from a list of the world's objects: those named (in either area)."""
    return st.sampled_from(both(*names)).map(Ref)


MEETINGS = one_of_ours("meeting", "next_meeting", "today_meeting", "past_meeting")
# The months a leaner month may be set for: this one and the next eleven, as "YYYY-MM".
COMING_MONTHS = st.integers(0, 11).map(
    lambda ahead: f"{date.today().year + (date.today().month - 1 + ahead) // 12:04d}-"
                  f"{(date.today().month - 1 + ahead) % 12 + 1:02d}")


CONFIRM = Fields({})
MEMBERSHIP = {"signups", "meetings", "outbox_messages", "reminder_log"}
# An outing on the plan makes the meeting an outing (it needs travel time).
PLAN = {"plan_items", "meetings"}
# Changes to how a person signs in are told to them by email, in case it was not them.
NOTICE = "outbox_messages"
PARAMETERS = parameter_form(model.DEFAULTS, blank_means_inherit=True)


@dataclass(frozen=True)
class Route:
    fields: Fields = CONFIRM
    params: dict = field(default_factory=dict)
    writes: frozenset = frozenset()
    # Who acts: a persona from test_access.EXPECTED, or one of the special ones in world.py.
    personas: tuple | None = None
    # What the accepted request may take away from the signed-in personas.
    ends_sessions: bool = False


def route(fields=CONFIRM, writes=(), **kwargs):
    # Every message to a young person is also kept as a notice in the app (notices/services.py).
    told = {"notices"} if "outbox_messages" in writes else set()
    return Route(fields=fields, writes=frozenset({*writes, *told}), **kwargs)


ROUTES = {
    # --- signing in and out ---------------------------------------------------------------
    "auth.sign_in": route(form(SignInForm, next=query_values()),
                          personas=("anonymous", "anonymous", "youth")),
    "auth.sign_out": route(personas=("youth", "worker", "admin", "anonymous"),
                           ends_sessions=True),
    # Written down only: the outbox worker makes the link (auth/link_requests.py).
    "auth.request_link": route(form(LinkRequestForm), writes={"link_requests"}),
    "auth.request_reset": route(form(ResetRequestForm), writes={"link_requests"}),
    "auth.use_link": route(params={"token": TOKEN}, writes={"one_time_tokens"},
                           personas=("anonymous",)),
    "auth.reset": route(form(NewPasswordForm), params={"token": TOKEN},
                        writes={"one_time_tokens", "users", NOTICE}, personas=("anonymous",)),
    "auth.welcome": route(form(NewPasswordForm), params={"token": TOKEN},
                          writes={"one_time_tokens", "users", NOTICE},
                          personas=("anonymous",)),
    "auth.two_factor_check": route(form(CodeForm, next=query_values()),
                                   writes={"recovery_codes"},
                                   personas=("unverified", "worker", "youth")),
    "auth.two_factor_setup": route(form(SetupCodeForm, next=query_values()),
                                   writes={"users", "recovery_codes", NOTICE},
                                   personas=("unenrolled", "worker", "youth")),
    "auth.reauthenticate": route(form(ReauthenticateForm, next=query_values()),
                                 writes={"recovery_codes"}),
    "auth.reauthenticate_by_link": route(writes={"one_time_tokens", "outbox_messages"}),
    # --- one's own account ----------------------------------------------------------------
    "main.set_language": route(form(LanguageForm), writes={"users"}),
    "account.profile": route(form(ProfileForm), writes={"users"}),
    "account.change_password": route(form(ChangePasswordForm), writes={"users", NOTICE},
                                     ends_sessions=True),
    "account.new_recovery_codes": route(writes={"recovery_codes", NOTICE}),
    "account.turn_off_second_factor": route(writes={"users", "recovery_codes", NOTICE}),
    "account.sign_out_elsewhere": route(ends_sessions=True),
    # Passkeys: a form post is not the script's JSON, so the answers are refused with 400
    # (tests/web/test_passkeys.py sends real WebAuthn answers); the options make a challenge.
    "passkeys.registration_options": route(writes={"passkey_challenges"}),
    "passkeys.register": route(writes={"passkeys", "passkey_challenges", NOTICE}),
    "passkeys.sign_in_options": route(writes={"passkey_challenges"},
                                      personas=("anonymous", "youth")),
    "passkeys.sign_in": route(writes={"passkeys", "passkey_challenges", "users"},
                              personas=("anonymous", "youth"), ends_sessions=True),
    "passkeys.remove": route(params={"passkey_id": st.one_of(st.sampled_from(("1", "2")),
                                                             query_values())},
                             writes={"passkeys", NOTICE}),
    # A new email or phone only waits for its code: nothing else is sent to it, nothing else
    # changes until the code comes back (which no example knows).
    "account.change_contact": route(form(EmailForm) + form(PhoneForm), params={"kind": KIND},
                                    writes={"pending_contacts", "outbox_messages"}),
    "account.confirm_contact": route(form(ContactCodeForm), params={"kind": KIND},
                                     writes={"pending_contacts", "users", "one_time_tokens",
                                             NOTICE}),
    # A fresh young person each time: the others' sign-in needs their email.
    "account.remove_contact": route(params={"kind": KIND},
                                    writes={"users", "one_time_tokens", NOTICE},
                                    personas=("fresh_youth", "worker")),
    "account.choose_channel": route(form(ChannelForm), writes={"users"}),
    "calendar.settings": route(Fields({"action": (choice("off", "new"), query_values())}),
                               writes={"calendar_feeds"}),
    "consent.answer": route(Fields({"answer": (choice("yes", "no"), query_values())}),
                            params={"purpose": PURPOSE},
                            writes={"consent_answers", "attendance", "meetings",
                                    "dietary_needs", "outbox_messages", "reminder_log"}),
    "consent.dietary": route(form(DietaryForm), writes={"dietary_needs"}),
    "privacy.erase": route(form(ReauthenticateForm),
                           writes={"users", "group_members", "group_facilitators", "signups",
                                   "meetings", "attendance", "consent_answers",
                                   "dietary_needs", "suggestion_votes", "suggestions",
                                   "calendar_feeds", "one_time_tokens", "outbox_messages",
                                   "reminder_log", "plan_items", "recovery_codes"},
                           personas=("fresh_youth", "worker"), ends_sessions=True),
    "privacy.erase_link": route(writes={"one_time_tokens", "outbox_messages"}),
    # --- administration -------------------------------------------------------------------
    "admin.new_area": route(form(AreaForm), writes={"areas", "consent_texts"}),  # its copy
    "admin.edit_area": route(form(AreaForm), params={"area_id": AREA}, writes={"areas"}),
    "pages.edit_public_pages": route(form(PublicPagesForm), params={"area_id": AREA},
                                     writes={"areas"}),
    "admin.new_team": route(form(TeamForm), params={"area_id": AREA}, writes={"teams"}),
    # Single sign-on: connecting a provider (no provider answers on the hostile issuers).
    "admin.area_sso": route(form(ProviderForm), params={"area_id": AREA},
                            writes={"sso_providers"}),
    "admin.check_sso": route(params={"area_id": AREA}),
    "admin.disconnect_sso": route(params={"area_id": AREA},
                                  writes={"sso_providers", "sso_sessions"}),
    "admin.edit_team": route(form(TeamForm), params={"team_id": TEAM}, writes={"teams"}),
    "admin.new_staff": route(form(StaffForm), params={"area_id": AREA},
                             writes={"users", "one_time_tokens", "outbox_messages"}),
    "admin.edit_user": route(form(StaffForm), params={"user_id": COLLEAGUE},
                             writes={"users", "group_facilitators", "staff_assignments"},
                             ends_sessions=True),
    "admin.sign_out_everywhere": route(params={"user_id": COLLEAGUE}),
    "admin.resend_welcome": route(params={"user_id": COLLEAGUE},
                                  writes={"one_time_tokens", "outbox_messages"}),
    "admin.reset_two_factor": route(params={"user_id": COLLEAGUE},
                                    writes={"users", "recovery_codes", NOTICE}),
    # The form's POST shows a preview and writes nothing; the confirm POST publishes.
    "admin.new_consent_text": route(form(ConsentTextForm, edit=query_values()),
                                    params={"area_id": AREA, "purpose": PURPOSE}),
    "admin.publish_consent_text": route(form(ConsentTextForm, base_version=SEEN_VERSION),
                                        params={"area_id": AREA, "purpose": PURPOSE},
                                        writes={"consent_texts"}),
    "admin.new_default_consent_text": route(form(ConsentTextForm, edit=query_values()),
                                            params={"purpose": PURPOSE}),
    "admin.publish_default_consent_text": route(form(ConsentTextForm,
                                                     base_version=SEEN_VERSION),
                                                params={"purpose": PURPOSE},
                                                writes={"consent_texts"}),
    # Sends what waits, answering waiting "send me a link" requests first.
    "notifications.send_now": route(writes={"outbox_messages", "link_requests",
                                            "one_time_tokens", "notices"}),
    "notices.read_all": route(writes={"notices"}),
    # --- groups and meetings --------------------------------------------------------------
    "groups.new": route(form(GroupForm),
                        writes={"groups", "group_facilitators", "group_members"}),
    "groups.edit": route(form(GroupForm), params={"group_id": GROUP},
                         writes={"groups", "group_facilitators", "group_members"}),
    "groups.archive": route(params={"group_id": GROUP},
                            writes={"groups", "meetings", "signups", "invitations",
                                    "outbox_messages"}),
    "groups.schedule": route(form(ScheduleForm, save=choice("1", None)),
                             params={"group_id": GROUP}, writes={"groups", "meetings"}),
    "groups.new_meeting": route(form(MeetingForm), params={"group_id": GROUP},
                                writes={"meetings"}),
    "groups.leave": route(params={"group_id": GROUP},
                          writes={"group_members", *MEMBERSHIP}),
    "group_messages.to_group": route(form(GroupMessageForm,
                                          action=choice("preview", "send", "edit")),
                                     params={"group_id": GROUP}, writes={"outbox_messages"}),
    "group_messages.to_meeting": route(form(GroupMessageForm,
                                            action=choice("preview", "send", "edit")),
                                       params={"meeting_id": MEETING},
                                       writes={"outbox_messages"}),
    "meetings.edit": route(form(MeetingForm), params={"meeting_id": MEETING},
                           writes={"meetings", "signups", "outbox_messages"}),
    "meetings.call_off": route(form(CancelForm), params={"meeting_id": MEETING},
                               writes=MEMBERSHIP),
    # Putting a called-off meeting back on: the waiting list may move, everyone is told.
    "meetings.restore": route(params={"meeting_id": CALLED_OFF}, writes=MEMBERSHIP),
    "meetings.add_plan_item": route(form(PlanItemForm), params={"meeting_id": MEETING},
                                    writes=PLAN),
    "meetings.edit_plan_item": route(form(PlanItemForm),
                                     params={"meeting_id": MEETING, "item_id": ITEM},
                                     writes=PLAN),
    # Every change to a plan bumps its meeting's plan_version (the youth page's cache key).
    "meetings.remove_plan_item": route(params={"meeting_id": MEETING, "item_id": ITEM},
                                       writes=PLAN),
    "meetings.move_plan_item": route(Fields({"direction": (choice("up", "down"),
                                                           query_values())}),
                                     params={"meeting_id": MEETING, "item_id": ITEM},
                                     writes=PLAN),
    "meetings.copy_plan": route(form(CopyPlanForm, source_id=MEETINGS),
                                params={"meeting_id": MEETING},
                                writes=PLAN),
    "meetings.signup": route(params={"meeting_id": MEETING}, writes=MEMBERSHIP),
    "meetings.cancel": route(params={"meeting_id": MEETING}, writes=MEMBERSHIP),
    "meetings.people": route(form(AddPersonForm, user_id=one_of_ours("youth", "target_youth",
                                                                      "login_youth")),
                             params={"meeting_id": MEETING},
                             writes=MEMBERSHIP),
    "meetings.remove_person": route(form(RemovePersonForm),
                                    params={"meeting_id": MEETING, "user_id": PERSON_AT_MEETING},
                                    writes=MEMBERSHIP),
    "meetings.mark": route(Fields({"present": (choice("1", "0"), query_values())}),
                           params={"meeting_id": MEETING, "user_id": PERSON_AT_MEETING},
                           writes={"attendance"}),
    "meetings.headcount": route(Fields({"headcount": (st.integers(0, 500).map(str),
                                                      query_values())}),
                                params={"meeting_id": MEETING}, writes={"meetings"}),
    # Closing asks those who came how it was: a notice each.
    "meetings.close_register": route(params={"meeting_id": MEETING},
                                     writes={"meetings", "notices"}),
    # A form post is not JSON: refused with 400 (tests/web/test_register_taps.py sends JSON).
    "meetings.send_taps": route(params={"meeting_id": MEETING},
                                writes={"register_taps", "attendance", "meetings"}),
    "meetings.reopen_register": route(params={"meeting_id": CLOSED}, writes={"meetings"}),
    "meetings.record_consent": route(form(RecordConsentForm),
                                     params={"meeting_id": MEETING,
                                             "user_id": PERSON_AT_MEETING},
                                     writes={"consent_answers"}),
    "meetings.assignments": route(form(AssignForm, user_id=one_of_ours("worker", "expert",
                                                                       "target_worker")),
                                  params={"meeting_id": MEETING},
                                  writes={"staff_assignments"}),
    "meetings.unassign": route(params={"meeting_id": MEETING, "user_id": PERSON_AT_MEETING},
                               writes={"staff_assignments"}),
    "meetings.log_hours": route(form(TimeLogForm), params={"meeting_id": MEETING},
                                writes={"time_logs"}),
    "invitations.manage": route(form(InvitationForm), params={"group_id": GROUP},
                                writes={"invitations"}),
    "invitations.revoke": route(params={"invitation_id": INVITATION},
                                writes={"invitations"}),
    "invitations.join": route(form(JoinForm), params={"token": TOKEN},
                              writes={"users", "group_members", "invitations",
                                      "one_time_tokens", "outbox_messages", "pending_joins"},
                              personas=("anonymous", "anonymous", "youth", "worker")),
    "invitations.finish": route(form(FinishJoinForm), params={"token": TOKEN},
                                writes={"users", "group_members", "invitations",
                                        "pending_joins"},
                                personas=("anonymous",)),
    # The author's own vote comes with the idea.
    "suggestions.index": route(form(SuggestionForm), params={"group_id": GROUP},
                               writes={"suggestions", "suggestion_votes"}),
    "suggestions.vote": route(params={"suggestion_id": IDEA}, writes={"suggestion_votes"}),
    "suggestions.adopt": route(form(AdoptForm, meeting_id=MEETINGS),
                               params={"suggestion_id": IDEA},
                               writes={"suggestions", *PLAN}),
    "suggestions.close": route(form(CloseForm), params={"suggestion_id": IDEA},
                               writes={"suggestions"}),
    "feedback.give": route(form(FeedbackForm), params={"meeting_id": CLOSED},
                           writes={"feedback_answers", "feedback_given"}),
    "feedback.dismiss": route(params={"meeting_id": CLOSED}, writes={"feedback_dismissed"}),
    "feedback.make_idea": route(params={"meeting_id": CLOSED, "answer_id": ANSWER},
                                writes={"suggestions"}),
    # --- workload -------------------------------------------------------------------------
    "workload.settings": route(form(PARAMETERS), writes={"areas"}),
    "workload.group_settings": route(form(PARAMETERS), params={"group_id": GROUP},
                                     writes={"groups"}),
    "workload.staff_hours": route(
        form(StaffHoursForm, form=choice("hours", "reduced"))
        + form(ReducedMonthForm, prefix="reduced-", **{"reduced-month": COMING_MONTHS}),
        params={"user_id": ids(*both("worker", "target_worker", "youth"), "superuser")},
        writes={"users", "reduced_months"}),
}
