"""Young people say how a meeting was, anonymously and once; the group's workers read the
answers only once enough people answered, and turn a "next time" line into an idea."""

import csv
import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect, select, text

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.feedback.models import FeedbackAnswer, FeedbackGiven
from peer_groups.notices.models import Notice
from peer_groups.signups.models import Signup
from peer_groups.suggestions.models import Suggestion
from tests.conftest import BACKEND, post, sign_in
from tests.helpers import assert_redirect


@pytest.fixture
def held(app, make):
    """A meeting that ended an hour ago; six members had a place, one more did not."""
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    youth = [make.user(Role.YOUTH, area=area, language="en") for _ in range(7)]
    group = make.group(area, facilitators=[worker, expert], members=youth)
    meeting = make.meeting(group, starts_at=datetime.now(UTC).replace(microsecond=0)
                           - timedelta(hours=3))
    with make.session() as session:
        session.add_all(Signup(meeting_id=meeting.id, user_id=person.id,
                               status=SignupStatus.CONFIRMED) for person in youth[:6])
    staff = app.test_client()
    sign_in(staff, worker)
    assert_redirect(post(staff, f"/meetings/{meeting.id}/register/close"))
    return {"area": area, "worker": worker, "expert": expert, "youth": youth, "group": group,
            "meeting": meeting, "staff": staff}


def answer(app, person, meeting, rating, again="yes", next_time=""):
    client = app.test_client()
    sign_in(client, person)
    return client, post(client, f"/meetings/{meeting.id}/feedback",
                        {"rating": rating, "again": again, "next_time": next_time})


def test_those_who_came_are_asked_on_a_notice_and_at_home_and_answer_once(app, held):
    meeting, youth = held["meeting"], held["youth"]
    with app.app_context():
        asked = db.session.scalars(select(Notice.user_id).where(
            Notice.template == "feedback_ask")).all()
    assert sorted(asked) == sorted(person.id for person in youth[:6])  # not the one without a place
    client = app.test_client()
    sign_in(client, youth[0])
    home = client.get("/home").get_data(as_text=True)
    assert "How was it?" in home and f"/meetings/{meeting.id}/feedback" in home
    assert_redirect(post(client, f"/meetings/{meeting.id}/feedback/dismiss"), "/home")
    assert f"/meetings/{meeting.id}/feedback\"" not in client.get("/home").get_data(as_text=True)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/feedback" in page  # still there on the meeting's page
    form = client.get(f"/meetings/{meeting.id}/feedback").get_data(as_text=True)
    assert "Great" in form and "😄" in form and 'type="radio"' in form
    missing = post(client, f"/meetings/{meeting.id}/feedback", {"next_time": "x" * 141})
    assert missing.status_code == 200
    text_of = missing.get_data(as_text=True)
    assert "Choose how it was." in text_of and "Keep it to one short line." in text_of
    response = post(client, f"/meetings/{meeting.id}/feedback",
                    {"rating": "5", "again": "yes", "next_time": "Bowling"})
    assert_redirect(response, f"/meetings/{meeting.id}/feedback")
    again = post(client, f"/meetings/{meeting.id}/feedback", {"rating": "1", "again": "no"})
    assert "Thank you!" in again.get_data(as_text=True)
    with app.app_context():
        assert [(a.rating, a.next_time) for a in db.session.scalars(select(FeedbackAnswer))] == [
            (5, "Bowling")]
    outsider = app.test_client()
    sign_in(outsider, youth[6])
    no_place = html.unescape(outsider.get(f"/meetings/{meeting.id}/feedback").get_data(
        as_text=True))  # a member who had no place: told, in words, and no form
    assert "This meeting can't be answered now." in no_place and 'name="rating"' not in no_place


def table_rows(app, model):
    """Every column of every row, in the order the database keeps them on disk."""
    table = model.__table__
    with app.app_context():
        physical = "ctid" if BACKEND == "postgresql" else None
        order = f" ORDER BY {physical}" if physical else ""
        extra = ", xmin::text AS xmin" if BACKEND == "postgresql" else ""
        return [dict(row._mapping) for row in db.session.execute(
            text(f"SELECT *{extra} FROM {table.name}{order}"))]  # noqa: S608 - our own names


def test_the_whole_database_cannot_link_an_answer_to_its_person(app, held):
    meeting, (first, second) = held["meeting"], held["youth"][:2]
    answer(app, first, meeting, 5, "yes", "Bowling")
    answer(app, second, meeting, 1, "no", "Less noise")
    answers, given = table_rows(app, FeedbackAnswer), table_rows(app, FeedbackGiven)
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("feedback_answers")}
        audit = " ".join(str(e.action) + str(e.detail) for e in
                         db.session.scalars(select(AuditEvent)))
    # No person, no time, nothing in common with the record of who answered but the meeting.
    assert columns == {"id", "meeting_id", "rating", "again", "next_time"}
    assert set(given[0]) - {"xmin"} == {"meeting_id", "user_id"}
    # On disk the answers lie in the order of what they say (PostgreSQL) or of their random
    # ids (SQLite, WITHOUT ROWID), never of who answered first; PostgreSQL's row versions are
    # one for all of them, so they match no one's transaction.
    if BACKEND == "postgresql":
        assert [a["rating"] for a in answers] == [1, 5]
        assert len({a["xmin"] for a in answers}) == 1
    else:
        assert [a["id"] for a in answers] == sorted(a["id"] for a in answers)
        with app.app_context():  # no hidden rowid keeps the order of insertion
            with pytest.raises(Exception, match="rowid"):
                db.session.execute(text("SELECT rowid FROM feedback_answers")).all()
            db.session.rollback()
    for column in ("id", "meeting_id", "rating", "again", "next_time"):
        by_column = sorted(answers, key=lambda a: str(a[column]))
        assert [a["rating"] for a in by_column] in ([1, 5], [5, 1])  # nothing to match it to
    assert "feedback" not in audit  # the audit trail says nothing of answering


def test_workers_see_answers_only_from_five_and_make_an_idea_of_a_line(app, held):
    meeting, youth, staff = held["meeting"], held["youth"], held["staff"]
    for person, rating in zip(youth[:4], (5, 4, 4, 2), strict=True):
        answer(app, person, meeting, rating, next_time=f"Idea {rating}" if rating == 5 else "")
    results = f"/meetings/{meeting.id}/feedback/results"
    page = staff.get(results).get_data(as_text=True)
    assert "Fewer than 5 answered." in page and "Idea 5" not in page
    answer(app, youth[4], meeting, 3, "maybe")
    page = staff.get(results).get_data(as_text=True)
    assert "5 answered." in page and "Idea 5" in page and "Would come again: 80%" in page
    action = re.search(r'action="(/meetings/\d+/feedback/ideas/[0-9a-f-]+)"', page).group(1)
    assert_redirect(post(staff, action), results)
    with app.app_context():
        idea = db.session.scalars(select(Suggestion)).one()
        assert (idea.title, idea.author_id, idea.group_id) == ("Idea 5", None, held["group"].id)
    # A second tap (another tab still showing the button) adds no second idea.
    page = html.unescape(staff.get(results).get_data(as_text=True))
    assert "On the group's ideas." in page and action not in page
    post(staff, action)
    assert "That is on the group's ideas already." in html.unescape(
        staff.get(results).get_data(as_text=True))
    with app.app_context():
        assert len(db.session.scalars(select(Suggestion)).all()) == 1
    expert = app.test_client()
    sign_in(expert, held["expert"])
    assert expert.get(results).status_code == 403
    young = app.test_client()
    sign_in(young, youth[0])
    assert young.get(results).status_code == 403


def test_reports_show_the_scale_per_period_and_hide_few_answers(app, make, held):
    meeting, youth, group = held["meeting"], held["youth"], held["group"]
    coordinator = make.user(Role.COORDINATOR, area=held["area"])
    for person, rating in zip(youth[:6], (5, 5, 5, 5, 5, 4), strict=True):
        answer(app, person, meeting, rating)
    earlier = make.meeting(group, starts_at=meeting.starts_at - timedelta(days=62),
                           status="held")
    with make.session() as session:  # a month with four answers only
        session.add_all(FeedbackAnswer(meeting_id=earlier.id, rating=r, again="no")
                        for r in (1, 1, 2, 2))
    client = app.test_client()
    sign_in(client, coordinator)
    today = date.today()
    period = f"?from={today - timedelta(days=70)}&to={today + timedelta(days=1)}"
    page = client.get("/reports" + period).get_data(as_text=True)
    months = re.findall(r'<td data-label="Answered">([^<]*)</td>', page)
    assert "&lt; 5" in months and "6" in months
    # The period beside its months would give back the hidden month: 10 - 6 = 4 answers, and
    # its scale minus the shown month's would be theirs. So the period shows nothing of them.
    assert "Answered: –" in page and "Answered: 10" not in page
    assert "report-feedback-title" not in page
    assert "Share who would come again: –" in page
    exported = client.get("/reports.csv" + period).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    cells = sorted((row["feedback_answered"], row["feedback_5"]) for row in rows
                   if row["feedback_answered"] != "0")
    assert cells == [("6", ""), ("< 5", "")]  # 5 × great and 1 × good: one hidden step


JARGON = {"anonymous", "anonymised", "feedback", "threshold", "data", "survey", "submit",
          "respondent", "participant", "evaluate", "evaluation", "aggregate", "rating"}


def part(page, start, end):
    return page.split(start, 1)[1].split(end, 1)[0]


def main_of(page):
    return part(page, "<main", "</main>")


def test_the_ask_reads_easily_for_a_seventeen_year_old(app, held):
    """Short sentences (at most 12 words), no jargon, on every screen a young person sees."""
    meeting, person = held["meeting"], held["youth"][0]
    client = app.test_client()
    sign_in(client, person)
    home, notices = (client.get(path).get_data(as_text=True) for path in ("/home", "/notices/"))
    screens = [part(home, 'aria-labelledby="ask-', "</section>"),
               part(notices, "How was the meeting?", "</li>"),
               main_of(client.get(f"/meetings/{meeting.id}/feedback").get_data(as_text=True)),
               main_of(post(client, f"/meetings/{meeting.id}/feedback", {}).get_data(
                   as_text=True))]
    post(client, f"/meetings/{meeting.id}/feedback", {"rating": "4", "again": "maybe"})
    screens.append(main_of(client.get(f"/meetings/{meeting.id}/feedback").get_data(
        as_text=True)))
    words = []
    for screen in screens:
        main = re.sub(r"<[^>]+>", "\n", screen)
        for line in filter(None, (line.strip() for line in main.splitlines())):
            for sentence in re.split(r"(?<=[.!?…])\s+", line):
                assert len(sentence.split()) <= 12, sentence
                words += re.findall(r"[a-z]+", sentence.lower())
    assert JARGON.isdisjoint(words), JARGON & set(words)


def test_the_purge_removes_the_lines_and_who_answered_but_keeps_the_counts(app, held):
    answer(app, held["youth"][0], held["meeting"], 4, next_time="Sushi")
    app.config["RETENTION_MONTHS"] = 0  # the meeting (an hour ago) is now too old to keep
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert "1 feedback lines" in result.output
    with app.app_context():
        assert [(a.rating, a.next_time) for a in db.session.scalars(select(FeedbackAnswer))] == [
            (4, None)]
        assert db.session.scalars(select(FeedbackGiven)).all() == []


def test_a_months_exported_row_hides_a_hidden_groups_answers(app, make, held):
    """Two groups met that month: 6 answers and 3. The month's row beside the groups' rows
    would give back the 3 (9 - 6), so it shows none of its answers."""
    meeting, youth = held["meeting"], held["youth"]
    coordinator = make.user(Role.COORDINATOR, area=held["area"])
    for person, rating in zip(youth[:6], (5, 5, 5, 4, 4, 3), strict=True):
        answer(app, person, meeting, rating)
    other = make.group(held["area"], facilitators=[held["worker"]])
    theirs = make.meeting(other, starts_at=meeting.starts_at, status="held")
    with make.session() as session:
        session.add_all(FeedbackAnswer(meeting_id=theirs.id, rating=r, again="yes")
                        for r in (1, 2, 2))
    client = app.test_client()
    sign_in(client, coordinator)
    today = date.today()
    period = f"?from={today - timedelta(days=3)}&to={today + timedelta(days=1)}"
    book = load_workbook(io.BytesIO(client.get("/reports.xlsx" + period).data))
    months, groups = book.worksheets[0], book.worksheets[1]

    def answered(sheet):
        header = [cell.value for cell in sheet[1]]
        column = header.index("Feedback answers")
        return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert sorted(map(str, answered(groups))) == ["6", "< 5"]
    assert None in answered(months) and 9 not in answered(months)  # hidden, not 9


def test_an_old_ask_opens_a_kind_page_not_a_missing_one(app, make, held):
    """Tapping a notice after answering has closed says so, in words, with the way back."""
    person = held["youth"][0]
    old = make.meeting(held["group"], starts_at=held["meeting"].starts_at - timedelta(days=10),
                       status="held")
    with make.session() as session:
        session.add(Signup(meeting_id=old.id, user_id=person.id, status=SignupStatus.CONFIRMED))
    client = app.test_client()
    sign_in(client, person)
    response = client.get(f"/meetings/{old.id}/feedback")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "This meeting can't be answered now." in page and 'name="rating"' not in page
    assert f'href="/meetings/{old.id}"' in page
    refused = post(client, f"/meetings/{old.id}/feedback", {"rating": "5", "again": "yes"})
    assert "This meeting can't be answered now." in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(select(FeedbackAnswer)).all() == []
