"""Groups, meetings, plans, ideas and the calendar feed, as people use them on a phone.

Everyone here speaks Finnish (the `t` fixture's default), so texts are compared in the
language the person sees. `check_page` runs on every page visited.
"""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from flask_babel import force_locale, ngettext
from playwright.sync_api import expect

from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.forms import MONTH_NAMES, WEEKDAY_NAMES
from peer_groups.groups.forms import CancelForm, GroupForm, MeetingForm, ScheduleForm
from peer_groups.meetings.forms import PLAN_KIND_LABELS, PlanItemForm
from peer_groups.meetings.models import PlanKind
from peer_groups.suggestions.forms import AdoptForm, SuggestionForm
from peer_groups.suggestions.models import SuggestionVote
from tests.browser.conftest import check_page, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def nt(app):
    """`nt("%(num)s vote", "%(num)s votes", 3)` in Finnish, as the app would say it."""

    def translate(singular, plural, num, lang="fi"):
        with app.test_request_context(), force_locale(lang):
            return ngettext(singular, plural, num)

    return translate


@pytest.fixture
def fi(app):
    """A lazy text of the app (a form field's label, a choice) as a Finnish speaker reads it.

    Form labels are taken from the forms themselves, so rewording a label breaks nothing.
    """

    def render(lazy, lang="fi"):
        with app.test_request_context(), force_locale(lang):
            return str(lazy)

    return render


@pytest.fixture
def label(fi):
    """`label(PlanItemForm.title)`: the label of a form class's field, in Finnish."""
    return lambda field: fi(field.args[0])


@pytest.fixture
def choice(fi):
    """`choice(ScheduleForm.kind, "day")`: the label of one of a field's choices, in Finnish."""
    return lambda field, value: fi(next(c.label for c in field.kwargs["choices"]
                                        if c.value == value))


def heading(page):
    return page.get_by_role("heading", level=1).inner_text().strip()


def flashes(page):
    """The messages shown at the top of the page, one per item."""
    return [text.strip() for text in page.locator(".flashes .flash").all_inner_texts()]


def local(iso):
    """A <time datetime> value as a Helsinki wall-clock time."""
    return datetime.fromisoformat(iso).astimezone(HELSINKI)


def main_menu(page, t):
    return page.get_by_role("navigation", name=t("Main menu"))


def sign_out(page, t):
    main_menu(page, t).get_by_role("button", name=t("Sign out")).click()
    page.wait_for_url(re.compile(r"/$"))


def plan_titles(page):
    return [title.strip() for title in page.locator("#plan ol.plan > li h3").all_inner_texts()]


def named(label, title):
    """A button's name: its label, then the visually hidden item title it is about."""
    return re.compile(rf"^{re.escape(label)}\s*:?\s*{re.escape(title)}$")


def idea_card(page, title):
    return page.locator("li.idea").filter(
        has=page.get_by_role("heading", level=3, name=title, exact=True))


def expected_second_tuesdays(skip_month):
    """The 2nd Tuesdays of the next 12 months (from today, Helsinki time), one month skipped."""
    today = datetime.now(HELSINKI).date()
    end = today + relativedelta(months=12) - timedelta(days=1)
    days = (today + timedelta(days=n) for n in range((end - today).days + 1))
    return [d for d in days if d.weekday() == 1 and 8 <= d.day <= 14 and d.month != skip_month]


# --- 1. A worker schedules a year and writes the first plan ---------------------------------


def test_worker_schedules_a_year_and_writes_the_first_plan(page, t, nt, fi, label, choice, make):
    area = make.area(name="Pirkanmaa")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    make.user(Role.WORKER, area=area, display_name="Ritva Rinnalla", language="fi")
    for name in ("Aino Aalto", "Eero Esko", "Ilona Ilola"):
        make.user(Role.YOUTH, area=area, display_name=name, language="fi")

    sign_in(page, t, worker)
    main_menu(page, t).get_by_role("link", name=t("Groups"), exact=True).click()
    page.wait_for_url("**/groups/")
    assert heading(page) == t("Groups")
    assert t("No groups yet.") in page.locator("main").inner_text()
    check_page(page)

    # Starting a group: the worker is offered as a facilitator, the area's youth as members.
    page.get_by_role("link", name=t("Start a new group"), exact=True).click()
    page.wait_for_url("**/groups/new")
    assert heading(page) == t("Start a new group")
    check_page(page)
    page.get_by_label(label(GroupForm.name), exact=True).fill("Tiistairyhmä")
    page.get_by_label(label(GroupForm.venue_name), exact=True).fill("Nuorisotalo Kulma")
    page.get_by_label(label(GroupForm.venue_address), exact=True).fill("Kulmakatu 1, Tampere")
    facilitators = page.get_by_role("group", name=label(GroupForm.facilitator_ids))
    assert facilitators.get_by_label("Olli Ohjaaja").is_checked()  # ticked for them already
    assert not facilitators.get_by_label("Ritva Rinnalla").is_checked()
    facilitators.get_by_label("Olli Ohjaaja").check()
    members = page.get_by_role("group", name=label(GroupForm.member_ids))
    members.get_by_label("Aino Aalto").check()
    members.get_by_label("Eero Esko").check()
    page.locator("main form").get_by_role("button", name=t("Save"), exact=True).click()

    # Next: the monthly schedule.
    page.wait_for_url(re.compile(r"/groups/\d+/schedule$"))
    group_path = page.url.rsplit("/", 1)[0]
    assert heading(page) == t("Monthly schedule")
    assert t("The group is ready. Next, plan its meetings.") in flashes(page)
    check_page(page)

    # Skipping every month is refused, and the problem is told where it belongs.
    months = page.get_by_role("group", name=label(ScheduleForm.skip_months))
    for month in MONTH_NAMES:
        months.get_by_label(fi(month), exact=True).check()
    show_dates = page.get_by_role("button", name=t("Show the dates"), exact=True)
    show_dates.click()
    expect(page.get_by_role("alert")).to_have_text(t("Please check the marked fields."))
    months = page.get_by_role("group", name=label(ScheduleForm.skip_months))
    error = months.locator(".error")
    assert error.inner_text() == t("Leave at least one month with a meeting.")
    assert months.get_attribute("aria-describedby") == error.get_attribute("id")
    assert page.locator(".date-list").count() == 0  # no dates shown for a refused rule
    check_page(page)

    # A date rule on the 6th: Independence Day and Epiphany are flagged as public holidays.
    for number, month in enumerate(MONTH_NAMES, start=1):
        months.get_by_label(fi(month), exact=True).set_checked(number == 7)
    page.get_by_label(choice(ScheduleForm.kind, "day"), exact=True).check()
    page.get_by_label(label(ScheduleForm.day), exact=True).fill("6")
    page.get_by_role("button", name=t("Show the dates"), exact=True).click()
    page.locator(".date-list").wait_for()
    warned = {}
    for row in page.locator(".date-list li").all():
        moment = local(row.locator("time").get_attribute("datetime"))
        assert moment.day == 6 and moment.month != 7
        if row.locator(".warning").count():
            warned[moment.month] = row.locator(".warning").inner_text()
    assert warned[12] == t("Public holiday: %(name)s", name="Itsenäisyyspäivä")
    assert warned[1] == t("Public holiday: %(name)s", name="Loppiainen")
    assert 2 not in warned and 3 not in warned  # never a holiday on 6 February or 6 March
    check_page(page)

    # The 2nd Tuesday at 17:00 for two hours, no meeting in July.
    page.get_by_label(choice(ScheduleForm.kind, "weekday"), exact=True).check()
    page.get_by_label(label(ScheduleForm.week), exact=True).select_option(
        label=choice(ScheduleForm.week, "2"))
    page.get_by_label(label(ScheduleForm.weekday), exact=True).select_option(
        label=fi(WEEKDAY_NAMES[1]))
    page.get_by_label(label(ScheduleForm.start_time), exact=True).fill("17:00")
    page.get_by_label(label(ScheduleForm.duration_minutes), exact=True).fill("120")
    assert months.get_by_label(fi(MONTH_NAMES[6]), exact=True).is_checked()
    page.get_by_role("button", name=t("Show the dates"), exact=True).click()
    page.wait_for_function(  # the new preview: Tuesdays only
        "(times => times.length > 0 && times.every(e => new Date(e.dateTime).getUTCDay() === 2))"
        "([...document.querySelectorAll('.date-list time')])")

    expected = expected_second_tuesdays(skip_month=7)
    assert len(expected) in (11, 12)
    preview = page.get_by_role("region", name=nt("%(num)s new meeting", "%(num)s new meetings",
                                                  len(expected)))
    shown = [local(iso) for iso in
             preview.locator(".date-list time").evaluate_all("els => els.map(e => e.dateTime)")]
    assert [moment.date() for moment in shown] == expected
    assert all((moment.hour, moment.minute) == (17, 0) for moment in shown)
    assert all(moment.month != 7 for moment in shown)
    assert preview.locator(".warning").count() == 0  # no 2nd Tuesday is a public holiday
    check_page(page)

    preview.get_by_role("button", name=t("Save and add these meetings"), exact=True).click()
    page.wait_for_url(group_path)
    assert heading(page) == "Tiistairyhmä"
    assert nt("%(num)s meeting added.", "%(num)s meetings added.",
              len(expected)) in flashes(page)
    # Soonest first (today's is listed only until it ends, at 19:00).
    coming = [d for d in expected
              if datetime.combine(d, time(19), HELSINKI) >= datetime.now(HELSINKI)]
    meetings = page.get_by_role("region", name=t("Coming meetings")).locator("li.card")
    assert meetings.count() == len(coming)
    listed = [local(iso).date() for iso in meetings.locator("time").evaluate_all(
        "els => els.map(e => e.dateTime)")]
    assert listed == coming
    people = page.get_by_role("region", name=t("People")).inner_text()
    assert "Olli Ohjaaja" in people and "Aino Aalto, Eero Esko" in people
    assert "Ilona Ilola" not in people and "Ritva Rinnalla" not in people
    check_page(page)

    # The first meeting: its plan is empty, and the worker writes it.
    meetings.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_url = page.url
    assert local(page.locator("h1 time").get_attribute("datetime")).date() == coming[0]
    assert "Nuorisotalo Kulma, Kulmakatu 1, Tampere" in page.locator("dl.facts").inner_text()
    assert plan_titles(page) == []
    check_page(page)

    snack_kind, activity_kind = (fi(PLAN_KIND_LABELS[kind])
                                 for kind in (PlanKind.SNACK, PlanKind.ACTIVITY))
    add = page.get_by_role("region", name=t("Add to the plan"))
    add.get_by_label(label(PlanItemForm.kind), exact=True).select_option(label=snack_kind)
    add.get_by_label(label(PlanItemForm.title), exact=True).fill("Pizza")
    add.get_by_label(label(PlanItemForm.details), exact=True).fill("Kasvis ja kinkku")
    add.get_by_label(label(PlanItemForm.cost_euros), exact=True).fill("24.50")
    add.get_by_label(label(PlanItemForm.responsible_id), exact=True).select_option(
        label="Aino Aalto")
    add.get_by_role("button", name=t("Add to the plan"), exact=True).click()
    page.wait_for_url(meeting_url + "#plan")
    assert t("Added to the plan.") in flashes(page)
    assert plan_titles(page) == ["Pizza"]

    add = page.get_by_role("region", name=t("Add to the plan"))
    add.locator("summary").click()  # with a plan, the form waits behind its button
    add.get_by_label(label(PlanItemForm.kind), exact=True).select_option(label=activity_kind)
    add.get_by_label(label(PlanItemForm.title), exact=True).fill("Keilaus")
    add.get_by_label(label(PlanItemForm.materials), exact=True).fill("Sisäkengät")
    add.get_by_role("button", name=t("Add to the plan"), exact=True).click()
    page.locator("#plan ol.plan > li").nth(1).wait_for()
    assert plan_titles(page) == ["Pizza", "Keilaus"]
    items = page.locator("#plan ol.plan > li")
    snack = items.nth(0).inner_text()
    assert items.nth(0).locator(".plan-kind").text_content() == snack_kind
    assert "Kasvis ja kinkku" in snack
    assert f"{t('Cost:')} 24,50\u00a0€" in snack  # the worker sees the cost, in Finnish
    assert f"{t('Takes care of it:')} Aino" in snack
    assert items.nth(1).locator(".plan-kind").text_content() == activity_kind
    # The first item cannot go up, the last cannot go down.
    assert items.nth(0).get_by_role("button", name=t("Move up"), exact=False).count() == 0
    assert items.nth(1).get_by_role("button", name=t("Move down"), exact=False).count() == 0
    check_page(page)

    # Its edit page shows what was saved, the cost in euros.
    page.get_by_role("link", name=named(t("Edit"), "Pizza")).click()
    page.get_by_role("heading", level=1, name=t("Change the plan item")).wait_for()
    assert page.get_by_label(label(PlanItemForm.title), exact=True).input_value() == "Pizza"
    assert page.get_by_label(label(PlanItemForm.cost_euros), exact=True).input_value() == "24,50"
    assert page.get_by_label(label(PlanItemForm.responsible_id), exact=True).locator(
        "option:checked").inner_text() == "Aino Aalto"
    check_page(page)
    page.get_by_role("link", name=t("Back to the meeting"), exact=True).click()
    page.wait_for_url(meeting_url + "#plan")

    page.get_by_role("button", name=named(t("Move up"), "Keilaus")).click()
    expect(page.locator("#plan ol.plan > li h3").first).to_have_text("Keilaus")
    assert plan_titles(page) == ["Keilaus", "Pizza"]
    check_page(page)

    page.reload()  # the order is saved, not just shown
    assert plan_titles(page) == ["Keilaus", "Pizza"]


# --- 2. A young person reads the plan and suggests a snack ----------------------------------


@pytest.fixture
def evening_group(make):
    """A group with a meeting next week (planned), its facilitator, and three members."""
    area = make.area(name="Uusimaa")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    aino = make.user(Role.YOUTH, area=area, display_name="Aino Aalto", language="fi")
    eero = make.user(Role.YOUTH, area=area, display_name="Eero Esko", language="fi")
    ilona = make.user(Role.YOUTH, area=area, display_name="Ilona Ilola", language="fi")
    group = make.group(area, facilitators=[worker], members=[aino, eero, ilona],
                       name="Iltaryhmä", venue_name="Kulma")
    starts = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=7)
    meeting = make.meeting(group, starts_at=starts, venue_name="Kulma",
                           venue_address="Kulmakatu 1")
    make.meeting(group, starts_at=starts + timedelta(days=28))
    return {"worker": worker, "aino": aino, "eero": eero, "ilona": ilona, "group": group,
            "meeting": meeting}


def test_young_person_reads_the_plan_and_suggests_a_snack(page, t, nt, label, choice, make,
                                                           evening_group):
    g = evening_group
    make.plan_item(g["meeting"], kind="snack", title="Pizza", details="Kasvis ja kinkku",
                   cost_cents=2450, position=1)
    make.plan_item(g["meeting"], kind="activity", title="Lautapelit",
                   details="Tuo oma lempipeli", cost_cents=0, position=2)
    # Eero's idea already has his own vote and Ilona's.
    bowling = make.suggestion(g["group"], g["eero"], kind="activity", title="Keilaus")
    with make.session() as session:
        session.add_all([SuggestionVote(suggestion_id=bowling.id, user_id=g["eero"].id),
                         SuggestionVote(suggestion_id=bowling.id, user_id=g["ilona"].id)])
    meeting_path = f"/meetings/{g['meeting'].id}"

    sign_in(page, t, g["aino"])
    assert heading(page) == t("Hi, %(name)s!", name="Aino Aalto")
    assert t("Next meeting") in page.locator("main").inner_text()
    assert "Iltaryhmä" in page.locator("main").inner_text()
    # Soonest first: the first meeting link on the page is next week's.
    paths = page.locator("main a").evaluate_all("links => links.map(a => a.pathname)")
    assert [p for p in paths if re.fullmatch(r"/meetings/\d+", p)][:1] == [meeting_path]
    check_page(page)

    page.locator(f'main a[href$="{meeting_path}"]').first.click()
    page.wait_for_url(f"**{meeting_path}")
    assert plan_titles(page) == ["Pizza", "Lautapelit"]
    plan = page.get_by_role("region", name=t("What we do and eat")).inner_text()
    assert "Kasvis ja kinkku" in plan and "Tuo oma lempipeli" in plan
    assert t("Cost:") not in plan and "24,50" not in plan and "€" not in plan
    # No tools to change the plan or the meeting.
    assert page.get_by_role("region", name=t("Add to the plan")).count() == 0
    assert page.get_by_role("button", name=re.compile(t("Move up"))).count() == 0
    assert page.get_by_role("link", name=t("Cancel this meeting")).count() == 0
    check_page(page)

    page.locator("main .meeting-group").get_by_role("link", name="Iltaryhmä").click()
    page.wait_for_url(f"**/groups/{g['group'].id}")
    assert page.get_by_role("region", name=t("People")).count() == 0  # names are for staff
    check_page(page)
    page.get_by_role("link", name=t("Ideas"), exact=True).click()
    page.wait_for_url(f"**/groups/{g['group'].id}/ideas")
    assert heading(page) == t("Ideas")
    check_page(page)

    suggest = page.get_by_role("region", name=t("Suggest something"))
    suggest.get_by_label(choice(SuggestionForm.kind, "snack"), exact=True).check()
    suggest.get_by_label(label(SuggestionForm.title), exact=True).fill("Tacot")
    suggest.get_by_label(label(SuggestionForm.details), exact=True).fill("Itse tehtyinä")
    suggest.get_by_role("button", name=t("Send my idea"), exact=True).click()
    expect(page.locator(".flashes")).to_contain_text(
        t("Thanks! Your idea is on the list. Others can vote for it now."))

    tacos = idea_card(page, "Tacot")
    assert tacos.locator(".plan-kind").text_content() == t("Something to eat")
    assert tacos.locator(".votes").inner_text() == nt("%(num)s vote", "%(num)s votes", 1)
    take_back = tacos.get_by_role("button", name=named(t("Take my vote back"), "Tacot"))
    assert take_back.get_attribute("aria-pressed") == "true"
    bowling_card = idea_card(page, "Keilaus")
    assert bowling_card.locator(".votes").inner_text() == nt("%(num)s vote", "%(num)s votes", 2)
    vote = bowling_card.get_by_role("button", name=named(t("Vote"), "Keilaus"))
    assert vote.get_attribute("aria-pressed") == "false"
    # Most votes first.
    assert page.locator("li.idea h3").all_inner_texts() == ["Keilaus", "Tacot"]
    check_page(page)

    vote.click()
    bowling_card = idea_card(page, "Keilaus")
    expect(bowling_card.locator(".votes")).to_have_text(nt("%(num)s vote", "%(num)s votes", 3))
    assert bowling_card.get_by_role("button").get_attribute("aria-pressed") == "true"
    assert page.locator("li.idea h3").all_inner_texts() == ["Keilaus", "Tacot"]
    check_page(page)
    sign_out(page, t)

    # The facilitator puts the most-voted idea on next week's plan.
    sign_in(page, t, g["worker"])
    page.goto(f"/groups/{g['group'].id}/ideas")
    assert page.get_by_role("region", name=t("Suggest something")).count() == 0
    top = page.locator("li.idea").first
    assert top.locator("h3").inner_text() == "Keilaus"
    assert top.locator(".votes").inner_text() == nt("%(num)s vote", "%(num)s votes", 3)
    check_page(page)
    choose = top.get_by_label(label(AdoptForm.meeting_id))
    assert choose.locator("option").count() == 2  # the two coming meetings, soonest first
    assert choose.input_value() == str(g["meeting"].id)
    top.get_by_role("button", name=named(t("Add to the plan"), "Keilaus")).click()
    page.wait_for_url(f"**{meeting_path}#plan")
    assert t("The idea is on the plan.") in flashes(page)
    assert plan_titles(page) == ["Pizza", "Lautapelit", "Keilaus"]
    check_page(page)
    sign_out(page, t)

    # Aino sees the idea she voted for on the plan.
    sign_in(page, t, g["aino"])
    page.goto(f"/groups/{g['group'].id}/ideas")
    bowling_card = idea_card(page, "Keilaus")
    assert bowling_card.locator(".badge").inner_text() == t("On the plan!")
    assert bowling_card.get_by_role("button").count() == 0  # no more voting on it
    assert idea_card(page, "Tacot").get_by_role("button").get_attribute("aria-pressed") == "true"
    check_page(page)
    page.goto(meeting_path)
    assert plan_titles(page) == ["Pizza", "Lautapelit", "Keilaus"]


# --- 3. The private calendar feed ------------------------------------------------------------


def test_calendar_link_is_made_renewed_and_its_feed_downloads(page, t, make, evening_group,
                                                               live_server, browser):
    g = evening_group
    make.plan_item(g["meeting"], kind="snack", title="Pizza")
    sign_in(page, t, g["aino"])
    main_menu(page, t).get_by_role("link", name=t("My account"), exact=True).click()
    page.get_by_role("link", name=t("Add the meetings to my phone's calendar")).click()
    page.wait_for_url("**/account/calendar")
    assert heading(page) == t("My calendar")
    assert page.get_by_role("textbox").count() == 0  # no link before asking for one
    check_page(page)

    page.get_by_role("button", name=t("Make my calendar link"), exact=True).click()
    expect(page.locator(".flashes")).to_contain_text(t("Your new calendar link is ready."))
    field = page.get_by_label(t("Your private calendar link"), exact=True)
    assert field.get_attribute("readonly") is not None
    url = field.input_value()
    assert re.fullmatch(re.escape(live_server) + r"/calendar/[\w-]+\.ics", url), url
    check_page(page)

    feed = page.request.get(url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") == 2  # both of the group's meetings
    assert "SUMMARY:Iltaryhmä" in body
    assert f"meeting-{g['meeting'].id}@peer-groups" in body
    assert "- Pizza" in body
    # A calendar app has no session: the link alone is the key.
    calendar_app = browser.new_context()
    try:
        assert calendar_app.request.get(url).text() == body
    finally:
        calendar_app.close()

    # A new link replaces the old one, which stops working.
    page.get_by_role("button", name=t("Make a new link"), exact=True).click()
    expect(page.locator(".flashes")).to_contain_text(t("Your new calendar link is ready."))
    new_url = page.get_by_label(t("Your private calendar link"), exact=True).input_value()
    assert new_url != url
    assert page.request.get(url).status == 404
    assert page.request.get(new_url).status == 200

    page.get_by_role("button", name=t("Turn the link off"), exact=True).click()
    expect(page.locator(".flashes")).to_contain_text(t("Your calendar link is turned off."))
    assert page.get_by_role("textbox").count() == 0
    assert page.get_by_role("button", name=t("Make my calendar link")).count() == 1
    assert page.request.get(new_url).status == 404
    check_page(page)


# --- 4. Changing and cancelling one meeting ---------------------------------------------------


def test_worker_changes_then_cancels_a_meeting(page, t, label, make, evening_group):
    g = evening_group
    meeting_path = f"/meetings/{g['meeting'].id}"
    day = (datetime.now(HELSINKI) + timedelta(days=10)).date()

    sign_in(page, t, g["worker"])
    page.goto(meeting_path)
    check_page(page)
    manage = page.get_by_role("region", name=t("Manage"))
    manage.get_by_role("link", name=t("Change time or place"), exact=True).click()
    page.get_by_role("heading", level=1, name=t("Change the meeting")).wait_for()
    edit_url = page.url
    check_page(page)

    # Ending before it starts is refused; what was written stays.
    page.get_by_label(label(MeetingForm.day), exact=True).fill(day.isoformat())
    page.get_by_label(label(MeetingForm.starts), exact=True).fill("18:00")
    page.get_by_label(label(MeetingForm.ends), exact=True).fill("17:30")
    page.get_by_label(label(MeetingForm.venue_name), exact=True).fill("Kirjasto Metso")
    save = page.locator("main form").get_by_role("button", name=t("Save"), exact=True)
    save.click()
    expect(page.get_by_role("alert")).to_have_text(t("Please check the marked fields."))
    ends = page.get_by_label(label(MeetingForm.ends), exact=True)
    assert ends.get_attribute("aria-invalid") == "true"
    assert "ends-error" in ends.get_attribute("aria-describedby")
    assert page.locator("#ends-error").inner_text() == t("The meeting must end after it starts.")
    place = page.get_by_label(label(MeetingForm.venue_name), exact=True)
    assert place.input_value() == "Kirjasto Metso"
    assert page.get_by_label(label(MeetingForm.day), exact=True).input_value() == day.isoformat()
    check_page(page)

    ends.fill("20:00")
    save.click()
    page.wait_for_url(f"**{meeting_path}")
    assert t("Saved.") in flashes(page)
    assert local(page.locator("h1 time").get_attribute("datetime")).date() == day
    facts = page.locator("dl.facts").inner_text()
    assert "Kirjasto Metso" in facts and re.search(r"18[.:]00\s*–\s*20[.:]00", facts), facts
    check_page(page)

    # Cancelling needs a reason, which everyone sees on the meeting's page.
    page.get_by_role("region", name=t("Manage")).get_by_role(
        "link", name=t("Cancel this meeting"), exact=True).click()
    page.get_by_role("heading", level=1, name=t("Cancel the meeting")).wait_for()
    check_page(page)
    cancel = page.locator("main form").get_by_role("button", name=t("Cancel the meeting"))
    cancel.click()
    expect(page.get_by_role("alert")).to_have_text(t("Please check the marked fields."))
    assert page.locator("#reason-error").inner_text() == t(
        "Write a short reason: it goes to everyone signed up.")
    assert page.get_by_label(label(CancelForm.reason)).get_attribute(
        "aria-invalid") == "true"
    check_page(page)

    page.get_by_label(label(CancelForm.reason)).fill("Ohjaaja on sairaana.")
    cancel.click()
    page.wait_for_url(f"**{meeting_path}")
    assert t("The meeting is cancelled.") in flashes(page)
    notice = page.locator(".notice-cancelled")
    assert notice.inner_text().split("\n")[0].strip() == t("This meeting is cancelled.")
    assert "Ohjaaja on sairaana." in notice.inner_text()
    assert page.get_by_role("region", name=t("Manage")).count() == 0  # nothing left to change
    assert t("Places left") not in page.locator("dl.facts").inner_text()
    check_page(page)

    # The group's list marks it, and its edit page (left open in another tab, say) no longer
    # takes changes.
    page.locator("main .meeting-group").get_by_role("link").click()
    page.wait_for_url(f"**/groups/{g['group'].id}")
    first = page.get_by_role("region", name=t("Coming meetings")).locator("li.card").first
    assert t("Cancelled") in first.inner_text()
    check_page(page)
    page.goto(edit_url)
    page.get_by_label(label(MeetingForm.ends), exact=True).fill("21:00")
    page.locator("main form").get_by_role("button", name=t("Save"), exact=True).click()
    expect(page.locator("#day-error")).to_have_text(
        t("This meeting is already cancelled or held."))
    check_page(page)
