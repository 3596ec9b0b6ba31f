"""One version of each thing: every place that writes an entry (the public feeds, the
private feeds, the e-mails' attachments) writes the same SEQUENCE and LAST-MODIFIED for
the same state, and across changes both only rise, LAST-MODIFIED whenever SEQUENCE does."""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from convene.extensions import db
from convene.models import OutboxMessage, Registration, Theme
from convene.services import agenda, calendars, events
from convene.services import registration as reg

from .factories import make_event, make_user, registration_input


def entries(text) -> dict[str, tuple[int, object]]:
    """{UID: (SEQUENCE, LAST-MODIFIED)} of a calendar's entries."""
    calendar = icalendar.Calendar.from_ical(text)
    return {
        str(c["uid"]): (int(c["sequence"]), c.decoded("last-modified"))
        for c in calendar.walk("VEVENT")
    }


class Scene:
    """An event with a session, a confirmed person who starred it, one who waits and one
    who only starred it."""

    def __init__(self, client):
        self.client = client
        self.organiser = make_user(name="Olga Organiser")
        justice = db.session.scalar(select(Theme).where(Theme.slug == "open-justice"))
        self.event = make_event(
            title="Open Justice Days",
            organisers=[self.organiser],
            capacity=1,
            online_url="https://meet.example.org/secret",
            themes=[justice],
        )
        start = self.local(self.event.starts_at)
        self.session = agenda.create_session(
            self.organiser,
            self.event,
            agenda.SessionInput(
                title="Courts online",
                kind="workshop",
                starts_at=start + timedelta(hours=1),
                ends_at=start + timedelta(hours=2),
            ),
        )
        self.first, self.second, self.watcher = make_user(), make_user(), make_user()
        for person in (self.first, self.second):
            reg.register(self.event, registration_input(), actor=person)
        for person in (self.first, self.second, self.watcher):
            agenda.star(person, self.session)
        db.session.commit()
        people = (self.first, self.second, self.watcher)
        self.tokens = [calendars.regenerate_feed_token(p) for p in people]
        db.session.commit()
        self.mailed = 0

    def local(self, moment):
        return moment.astimezone(ZoneInfo(self.event.timezone)).replace(tzinfo=None)

    def writers(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """What every writer says now (each feed, each registration's attachment made now),
        and the attachments of the e-mails queued since the last call."""
        slug = self.event.slug
        addresses = [
            "/calendar.ics",
            "/themes/open-justice.ics",
            f"/events/{slug}.ics",
            f"/events/{slug}/sessions/{self.session.id}.ics",
            *(f"/me/calendar/{token}.ics" for token in self.tokens),
        ]
        found = {}
        for address in addresses:
            response = self.client.get(address)
            assert response.status_code == 200, address
            found[address] = entries(response.data)
        for registration in db.session.scalars(select(Registration)):
            body = calendars.registration_attachment(registration)[2]
            found[f"attachment now, registration {registration.id}"] = entries(body)
        db.session.rollback()  # building an attachment changes nothing
        mails = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.attachment_body.is_not(None))
            .order_by(OutboxMessage.id)
        ).all()
        mailed = {
            f"e-mail {message.id} ({message.kind})": entries(message.attachment_body)
            for message in mails[self.mailed :]
        }
        self.mailed = len(mails)
        return found, mailed


def one_version_each(writers: dict[str, dict]) -> dict[str, tuple[int, object]]:
    """{UID: (SEQUENCE, LAST-MODIFIED)}, the same from every writer, or an assertion."""
    seen: dict[str, dict] = {}
    for writer, items in writers.items():
        for uid, version in items.items():
            seen.setdefault(uid, {})[writer] = version
    for uid, versions in seen.items():
        assert len(set(versions.values())) == 1, f"{uid} written differently: {versions}"
    return {uid: next(iter(versions.values())) for uid, versions in seen.items()}


def check_mailed(mailed: dict[str, dict], before: dict, now: dict) -> None:
    """An e-mail's copy is the state its change committed: the very SEQUENCE and
    LAST-MODIFIED every feed writes for it, newer than the state before the change."""
    for mail, items in mailed.items():
        for uid, version in items.items():
            assert version == now[uid], (mail, uid, version, now[uid])
            if uid in before:
                assert version[1] > before[uid][1], (mail, uid, version, before[uid])


@pytest.fixture
def scene(app, client):
    return Scene(client)


def test_every_writer_agrees_and_versions_only_rise(scene):
    event, organiser = scene.event, scene.organiser

    def edit_event():
        start = scene.local(event.starts_at) + timedelta(hours=1)
        data = events.EventInput(
            title="Open Justice Days (new times)",
            format=event.format.value,
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            timezone=event.timezone,
            city=event.city,
            country=event.country,
            online_url=event.online_url,
            theme_ids=[t.id for t in event.themes],
        )
        events.update_event(organiser, event, data)

    def first_leaves():
        [mine] = [r for r in db.session.scalars(select(Registration)) if r.user == scene.first]
        reg.cancel(mine)  # the second person is promoted from the waiting list

    def edit_session():
        start = scene.local(scene.session.starts_at) + timedelta(minutes=30)
        agenda.update_session(
            organiser,
            scene.session,
            agenda.SessionInput(
                title="Courts online, later",
                kind="workshop",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
            ),
        )

    def cancel_event():
        events.cancel_event(organiser, event, "The venue is closed.")

    found, mailed = scene.writers()
    history = [one_version_each(found)]
    check_mailed(mailed, {}, history[-1])
    for change in (edit_event, first_leaves, edit_session, cancel_event):
        time.sleep(1.1)  # LAST-MODIFIED counts seconds: a change in the next one
        change()
        db.session.commit()
        found, mailed = scene.writers()
        history.append(one_version_each(found))
        check_mailed(mailed, history[-2], history[-1])
    assert scene.mailed >= 5  # confirmed, changed, cancelled, promoted, event cancelled
    for before, after in zip(history, history[1:], strict=False):
        for uid, (sequence, modified) in before.items():
            if uid not in after:
                continue
            assert after[uid][0] >= sequence, uid
            assert after[uid][1] >= modified, uid
            if after[uid][0] > sequence:
                assert after[uid][1] > modified, (uid, "SEQUENCE rose, LAST-MODIFIED did not")
    final = history[-1]
    assert all(uid in final for uid in history[0]), "no entry disappears"
    assert final[calendars.event_uid(event)][0] > history[0][calendars.event_uid(event)][0]


def test_an_e_mail_carries_the_state_its_change_committed_however_long_the_change(
    scene, monkeypatch
):
    """A change that takes several flushes (a cancellation frees a seat, the first person
    waiting takes it, the event's count changes) may end in a later second than the one its
    e-mail was queued in: the e-mail's copy is still the committed state, not a midway one."""
    from datetime import datetime as real_datetime

    from convene.models import base

    class Ticking(real_datetime):
        """convene's clock, one second later at every reading."""

        moment = real_datetime.now(base.UTC)

        @classmethod
        def now(cls, tz=None):
            cls.moment += timedelta(seconds=1)
            return cls.moment.astimezone(tz)

    scene.writers()  # the e-mails so far are not this test's
    monkeypatch.setattr(base, "datetime", Ticking)
    [mine] = [r for r in db.session.scalars(select(Registration)) if r.user == scene.first]
    reg.cancel(mine)  # the second person is promoted from the waiting list
    db.session.commit()
    monkeypatch.undo()

    found, mailed = scene.writers()
    now = one_version_each(found)
    assert {m.split(" (")[1] for m in mailed} >= {"registration_promoted)"}
    check_mailed(mailed, {}, now)
