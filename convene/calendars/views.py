"""Calendar feeds: ETag and Last-Modified on every feed, 304 without building, cached bytes.

Clients poll feeds all day, so the usual answer is a 304: for readers who are not signed in it
costs no query at all while nothing has changed, and one small query after a change.
"""

import hashlib
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.http import http_date, is_resource_modified, quote_etag

from ..cache import cache_of
from ..extensions import db, limiter
from ..pagecache import anonymous_generation
from ..services import agenda, events, themes
from ..services import calendars as feeds
from ..urls import external_url

bp = Blueprint("calendars", __name__)


def feed_locale() -> str | None:
    """`?lang=fr` asks for a feed's titles and labels in French (calendar applications send
    no useful Accept-Language); without it, titles stay in their original language."""
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else None


def serve(make_feed, filename: str, memo: str, private: bool = False) -> Response:
    """Answer for the feed `make_feed()` returns (it checks who may see it).

    For readers who are not signed in, the feed's version is kept under `memo` and the
    database's generation: while nothing has been committed, a poll is answered from the
    cache without a query (304, or the cached bytes)."""
    cache = cache_of(current_app)
    memo_key = _memo_key(memo)
    known = cache.get(memo_key) if memo_key else None
    if known is not None:
        etag, _sep, stamp = known.decode().partition("|")
        response = _answer(cache, etag, datetime.fromisoformat(stamp), filename, private)
        if response is not None:
            return response
    feed = make_feed()
    version = feed.version()
    if memo_key:
        remembered = f"{version.etag}|{version.last_modified.isoformat()}".encode()
        cache.set(memo_key, remembered, ttl=current_app.config["PAGE_CACHE_SECONDS"])
    response = _answer(cache, version.etag, version.last_modified, filename, private)
    if response is None:
        body = feed.build()
        cache.set(f"feed:{version.etag}", body)
        response = _answer(cache, version.etag, version.last_modified, filename, private, body)
    return response


def _memo_key(memo: str) -> str | None:
    generation = anonymous_generation()
    if generation is None:
        return None
    # The memo may hold a private feed's secret: only its hash goes into the key.
    name = hashlib.sha256(f"{memo}|{feed_locale()}".encode()).hexdigest()[:40]
    return f"feedversion:{generation}:{name}"


def _answer(cache, etag, last_modified, filename, private, body=None) -> Response | None:
    """304 if the reader has this version (RFC 9110 §13.1: If-None-Match compared weakly,
    a list or `*`, If-Modified-Since only without it), else the bytes (from the cache
    unless given); None when they must be built."""
    response = Response(
        mimetype="text/calendar",
        headers={
            "ETag": quote_etag(etag),
            "Last-Modified": http_date(last_modified),
            "Cache-Control": f"{'private' if private else 'public'}, max-age=300",
            "Vary": "Accept-Language",
        },
    )
    if not is_resource_modified(
        request.environ, etag=quote_etag(etag), last_modified=last_modified
    ):
        # As Response.make_conditional answers, without building the body first.
        response.status_code = 412 if request.if_match else 304
        return response
    body = body if body is not None else cache.get(f"feed:{etag}")
    if body is None:
        return None
    response.set_data(body)
    response.content_type = "text/calendar; charset=utf-8"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/calendar.ics")
@limiter.exempt
def all_events():
    return serve(lambda: feeds.EventsFeed(locale=feed_locale()), "convene.ics", "all")


@bp.route("/themes/<slug>.ics")
@limiter.exempt
def theme(slug: str):
    def feed():
        return feeds.EventsFeed(themes.get_theme_by_slug(slug), locale=feed_locale())

    return serve(feed, f"{slug}.ics", f"theme:{slug}")


@bp.route("/events/<slug>.ics")
@limiter.exempt
def event(slug: str):
    def feed():
        return feeds.EventFeed(events.get_event(current_user, slug), locale=feed_locale())

    return serve(feed, f"{slug}.ics", f"event:{slug}")


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
@limiter.exempt
def session(slug: str, session_id: int):
    def feed():
        found = events.get_event(current_user, slug)
        return feeds.EventFeed(found, agenda.get_session(found, session_id), locale=feed_locale())

    return serve(feed, f"{slug}-session-{session_id}.ics", f"session:{slug}:{session_id}")


@bp.route("/events/<slug>/follow-up.ics")
@limiter.exempt
def follow_up(slug: str):
    def feed():
        return feeds.FollowUpFeed(events.get_event(current_user, slug), locale=feed_locale())

    return serve(feed, f"{slug}-follow-up.ics", f"follow-up:{slug}")


@bp.route("/me/calendar/<token>.ics")
@limiter.exempt
def personal(token: str):
    def feed():
        user = feeds.user_for_feed_token(token)
        if user is None:
            abort(404)  # the same answer for a malformed, old or revoked token
        return feeds.PersonalFeed(user)

    return serve(feed, "my-agenda.ics", f"personal:{token}", private=True)


def _links(url: str) -> dict:
    """The https address to copy and the webcal:// one calendar applications open."""
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@bp.route("/me/calendar")
@login_required
def my_calendar():
    token = feeds.feed_token(current_user)
    links = _links(external_url("calendars.personal", token=token)) if token else None
    return render_template(
        "calendars/me.html", links=links, public=_links(external_url("calendars.all_events"))
    )


@bp.route("/me/calendar/regenerate", methods=["POST"])
@login_required
def regenerate():
    had = feeds.feed_token(current_user) is not None
    feeds.regenerate_feed_token(current_user)
    db.session.commit()
    flash(
        _("Your new calendar address is ready. The old one no longer works.")
        if had
        else _("Your private calendar address is ready."),
        "success",
    )
    return redirect(url_for("calendars.my_calendar"))


@bp.route("/me/calendar/revoke", methods=["POST"])
@login_required
def revoke():
    feeds.revoke_feed_token(current_user)
    db.session.commit()
    flash(_("Your private calendar address no longer works."), "success")
    return redirect(url_for("calendars.my_calendar"))


@bp.app_template_global()
def webcal_url(endpoint: str, **values) -> str:
    """A feed's webcal:// address (on BASE_URL), which calendar applications subscribe to;
    in the reader's language when it is not the default."""
    locale = str(get_locale())
    if locale != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values.setdefault("lang", locale)
    return _links(external_url(endpoint, **values))["webcal"]
