"""Public pages kept for anonymous visitors (convene/caching/pages.py): served without a query,
never stale after a change, never shared with someone signed in, each visitor's own CSRF
token in them; the cache's time limits; and one Redis shared by two processes."""

import re

import pytest
from sqlalchemy import event as sa_event

from convene.caching import MemoryCache, RedisCache, cache_of
from convene.caching import store as cache_module
from convene.extensions import db

from .conftest import require_redis
from .factories import make_event, make_user

REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def cached_app(make_app):
    """An app that keeps pages, whose context the test runs in: its commits raise its own
    cache's generation (one app per process, as in production)."""
    new_app = make_app(PAGE_CACHE_SECONDS=60)
    with new_app.app_context():
        yield new_app


def queries_of(client, url: str, **kwargs) -> tuple[int, object]:
    seen = []

    def listener(*args):
        seen.append(args[2])

    with client.application.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(url, **kwargs)
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    return len(seen), response


def csrf_token_in(page: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def test_an_anonymous_page_is_served_again_without_a_query(cached_app):
    event = make_event(title="Cached Forum")
    db.session.commit()
    client = cached_app.test_client()
    first_count, first = queries_of(client, f"/events/{event.slug}")
    again_count, again = queries_of(client, f"/events/{event.slug}")
    assert first.status_code == again.status_code == 200
    assert first_count > 0
    assert again_count == 0
    assert b"Cached Forum" in again.data
    assert again.headers["Content-Type"].startswith("text/html")
    # The security headers are added to a cached page as to any other.
    assert again.headers["X-Frame-Options"] == "DENY"


def test_a_committed_change_shows_at_once(cached_app):
    event = make_event(title="Before the change")
    db.session.commit()
    client = cached_app.test_client()
    assert b"Before the change" in client.get(f"/events/{event.slug}").data
    event.title = "After the change"
    db.session.commit()
    page = client.get(f"/events/{event.slug}").data
    assert b"After the change" in page and b"Before the change" not in page


def test_a_bulk_update_without_a_flush_also_counts_as_a_change(cached_app):
    from sqlalchemy import update

    from convene.models import Event

    event = make_event(title="Old title")
    db.session.commit()
    client = cached_app.test_client()
    assert b"Old title" in client.get("/events/").data
    db.session.execute(update(Event).where(Event.id == event.id).values(title="New title"))
    db.session.commit()
    assert b"New title" in client.get("/events/").data


def test_a_rolled_back_change_leaves_the_cache_alone(cached_app):
    event = make_event()
    db.session.commit()
    client = cached_app.test_client()
    client.get("/events/")
    generation = cache_of(cached_app).generation()
    event.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert cache_of(cached_app).generation() == generation
    count, _page = queries_of(client, "/events/")
    assert count == 0


def test_a_savepoint_rolled_back_does_not_hide_the_rest_of_the_change(cached_app):
    event = make_event(title="First title")
    db.session.commit()
    client = cached_app.test_client()
    assert b"First title" in client.get("/events/").data
    event.title = "Second title"
    db.session.flush()
    savepoint = db.session.begin_nested()
    event.city = "Nowhere"
    db.session.flush()
    savepoint.rollback()  # as a refused line of a delegation is
    db.session.commit()
    assert b"Second title" in client.get("/events/").data


def test_signed_in_people_get_their_own_page(cached_app):
    event = make_event()
    person = make_user(email="reader@example.org", name="Rea Der")
    db.session.commit()
    anonymous = cached_app.test_client()
    anonymous.get(f"/events/{event.slug}")
    signed_in = cached_app.test_client()
    signed_in.post("/sign-in", data={"email": person.email, "password": "correct horse battery"})
    count, page = queries_of(signed_in, f"/events/{event.slug}")
    assert count > 0
    assert b"Sign out" in page.data
    # …and their page is not kept for the next anonymous visitor either.
    assert b"Sign out" not in anonymous.get(f"/events/{event.slug}").data


def test_each_visitor_gets_their_own_csrf_token_and_it_works(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    with app.app_context():
        event = make_event()
        db.session.commit()
        slug = event.slug
        first, second = app.test_client(), app.test_client()
    first_page = first.get(f"/events/{slug}").data
    count, second_page = queries_of(second, f"/events/{slug}")
    assert count == 0  # the second visitor's page came from the cache
    mine, theirs = csrf_token_in(second_page.data), csrf_token_in(first_page)
    assert mine != theirs
    assert b"@@convene-csrf-token@@" not in second_page.data
    # The token in the cached page is valid for this visitor (and only this visitor).
    accepted = second.post("/language", data={"locale": "fr", "csrf_token": mine})
    assert accepted.status_code == 302
    refused = first.post("/language", data={"locale": "fr", "csrf_token": mine})
    assert refused.status_code == 400


def test_a_visitor_with_a_message_waiting_sees_it(cached_app):
    make_event()
    db.session.commit()
    client = cached_app.test_client()
    client.get("/events/")  # cached now
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "A message for this visitor")]
    assert b"A message for this visitor" in client.get("/events/").data


def test_pages_are_kept_per_language(cached_app):
    make_event()
    db.session.commit()
    client = cached_app.test_client()
    english = client.get("/events/", headers={"Accept-Language": "en"}).data
    french = client.get("/events/", headers={"Accept-Language": "fr"}).data
    assert english != french
    assert b'lang="fr"' in french


def test_the_api_keeps_anonymous_answers_but_not_a_token_holder_s(cached_app):
    from convene.services import accounts

    make_event(title="Listed")
    person = make_user(email="api@example.org")
    _token, secret = accounts.create_api_token(person, "test")
    db.session.commit()
    client = cached_app.test_client()
    client.get("/api/v1/events")
    count, anonymous = queries_of(client, "/api/v1/events")
    assert count == 0 and anonymous.json["items"][0]["title"] == "Listed"
    count, _answer = queries_of(
        client, "/api/v1/events", headers={"Authorization": f"Bearer {secret}"}
    )
    assert count > 0


def test_a_missing_page_is_not_kept(cached_app):
    client = cached_app.test_client()
    assert client.get("/events/no-such-event").status_code == 404
    count, response = queries_of(client, "/events/no-such-event")
    assert response.status_code == 404 and count > 0


def test_without_a_time_limit_set_nothing_is_kept(make_app):
    app = make_app(PAGE_CACHE_SECONDS=0)
    with app.app_context():
        make_event()
        db.session.commit()
        client = app.test_client()
        client.get("/events/")
        count, _response = queries_of(client, "/events/")
    assert count > 0


def test_pages_are_kept_five_seconds_in_production_and_not_otherwise(monkeypatch, tmp_path):
    from config import load_config

    monkeypatch.delenv("PAGE_CACHE_SECONDS", raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    assert load_config("production", tmp_path)["PAGE_CACHE_SECONDS"] == 5
    assert load_config("development", tmp_path)["PAGE_CACHE_SECONDS"] == 0
    monkeypatch.setenv("PAGE_CACHE_SECONDS", "30")
    assert load_config("production", tmp_path)["PAGE_CACHE_SECONDS"] == 30


def test_memory_entries_expire_after_their_time(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    cache = MemoryCache()
    cache.set("page:1:a", b"kept", ttl=5)
    cache.set("feed:x", b"for ever")
    now[0] += 4.9
    assert cache.get("page:1:a") == b"kept"
    now[0] += 0.2
    assert cache.get("page:1:a") is None
    assert cache.get("feed:x") == b"for ever"


def test_memory_cache_stays_within_its_size():
    cache = MemoryCache(max_entries=10, max_bytes=100)
    for i in range(20):
        cache.set(f"k{i}", b"x" * 30)
    kept = [i for i in range(20) if cache.get(f"k{i}") is not None]
    assert kept == [17, 18, 19]  # the newest, within 100 bytes


def test_two_processes_share_pages_and_changes_through_redis(make_app):
    require_redis(REDIS)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    shared = {"PAGE_CACHE_SECONDS": 60, "CACHE_REDIS_URL": REDIS}
    one = make_app(**shared, CACHE_GENERATION_RECHECK_SECONDS=0)
    two = make_app(**shared, CACHE_GENERATION_RECHECK_SECONDS=0)
    assert isinstance(cache_of(one), RedisCache)
    with one.app_context():
        event = make_event(title="Shared page")
        db.session.commit()
        slug = event.id, event.slug
    one.test_client().get(f"/events/{slug[1]}")
    with two.app_context():
        count, page = queries_of(two.test_client(), f"/events/{slug[1]}")
    assert count == 0 and b"Shared page" in page.data  # built by one, served by two
    with one.app_context():
        from convene.models import Event

        db.session.get(Event, slug[0]).title = "Changed in one"
        db.session.commit()
    with two.app_context():
        assert b"Changed in one" in two.test_client().get(f"/events/{slug[1]}").data


def test_an_unreachable_redis_means_pages_are_built(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60, CACHE_REDIS_URL="redis://127.0.0.1:1/0")
    with app.app_context():
        make_event(title="Built anyway")
        db.session.commit()  # raising the generation fails quietly
        client = app.test_client()
        client.get("/events/")
        count, page = queries_of(client, "/events/")
    assert count > 0 and b"Built anyway" in page.data


# Calendar feeds: versions kept by generation for readers who are not signed in ----------


def test_an_unchanged_feed_is_answered_without_a_query(cached_app):
    event = make_event(title="Polled")
    db.session.commit()
    client = cached_app.test_client()
    first = client.get(f"/events/{event.slug}.ics")
    etag = first.headers["ETag"]
    count, not_modified = queries_of(
        client, f"/events/{event.slug}.ics", headers={"If-None-Match": etag}
    )
    assert not_modified.status_code == 304 and count == 0
    count, again = queries_of(client, f"/events/{event.slug}.ics")
    assert again.status_code == 200 and count == 0 and again.data == first.data
    assert again.headers["ETag"] == etag


def test_a_feed_changes_at_once_after_a_commit(cached_app):
    from convene.services import agenda

    event = make_event(title="Before")
    db.session.commit()
    client = cached_app.test_client()
    etag = client.get(f"/events/{event.slug}.ics").headers["ETag"]
    event.title = "After"
    agenda.touch(event)
    db.session.commit()
    changed = client.get(f"/events/{event.slug}.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"SUMMARY:After" in changed.data


def test_a_replaced_private_feed_address_stops_working_at_once(cached_app):
    from convene.services import calendars

    person = make_user(email="feeds@example.org")
    token = calendars.regenerate_feed_token(person)
    db.session.commit()
    client = cached_app.test_client()
    assert client.get(f"/me/calendar/{token}.ics").status_code == 200
    calendars.regenerate_feed_token(person)
    db.session.commit()
    assert client.get(f"/me/calendar/{token}.ics").status_code == 404


def test_an_organiser_s_draft_feed_is_not_kept_for_others(cached_app):
    organiser = make_user(email="org@example.org")
    event = make_event(status="draft", organisers=[organiser])
    db.session.commit()
    signed_in = cached_app.test_client()
    signed_in.post("/sign-in", data={"email": organiser.email, "password": "correct horse battery"})
    assert signed_in.get(f"/events/{event.slug}.ics").status_code == 200
    assert cached_app.test_client().get(f"/events/{event.slug}.ics").status_code == 404


def test_another_process_s_change_is_seen_within_the_recheck_time(monkeypatch):
    require_redis(REDIS)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    now = [500.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    here, elsewhere = RedisCache(REDIS, recheck=0.1), RedisCache(REDIS, recheck=0.1)
    assert here.generation() == 0
    elsewhere.bump()
    assert elsewhere.generation() == 1  # a process sees its own change at once
    now[0] += 0.05
    assert here.generation() == 0  # not asked again yet
    now[0] += 0.06
    assert here.generation() == 1
