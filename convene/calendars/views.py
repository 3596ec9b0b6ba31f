"""Calendar feeds, answered through caching.serve_feed (ETag, Last-Modified, 304 without
building, kept bytes), and the private feed's address."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..caching import serve_feed
from ..extensions import limiter
from ..pages import done
from ..services import agenda, content, events, themes
from ..services import calendars as feeds
from ..urls import external_url

bp = Blueprint("calendars", __name__)


def feed_locale() -> str | None:
    """`?lang=fr` asks for a feed's titles and labels in French (calendar applications send
    no useful Accept-Language); without it, titles stay in their original language."""
    lang = request.args.get("lang")
    return lang if lang in content.LANGUAGES else None


def serve(make_feed, filename: str, memo: str, private: bool = False) -> Response:
    """The answer for the feed `make_feed()` returns (it checks who may see it), its
    version kept per feed and language for readers who are not signed in (caching)."""
    return serve_feed(make_feed, filename, f"{memo}|{feed_locale()}", private)


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


@bp.route("/events/<slug>.ics", endpoint="event")
@bp.route("/events/<slug>/sessions/<int:session_id>.ics", endpoint="session")
@limiter.exempt
def event(slug: str, session_id: int | None = None):
    """An event's feed, or the feed of one of its sessions."""

    def feed():
        found = events.get_event(current_user, slug)
        session = None if session_id is None else agenda.get_session(found, session_id)
        return feeds.EventFeed(found, session, locale=feed_locale())

    if session_id is None:
        return serve(feed, f"{slug}.ics", f"event:{slug}")
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
    return done(
        _("Your new calendar address is ready. The old one no longer works.")
        if had
        else _("Your private calendar address is ready."),
        url_for("calendars.my_calendar"),
    )


@bp.route("/me/calendar/revoke", methods=["POST"])
@login_required
def revoke():
    feeds.revoke_feed_token(current_user)
    return done(
        _("Your private calendar address no longer works."), url_for("calendars.my_calendar")
    )


@bp.app_template_global()
def webcal_url(endpoint: str, **values) -> str:
    """A feed's webcal:// address (on BASE_URL), which calendar applications subscribe to;
    in the reader's language when it is not the default."""
    locale = str(get_locale())
    if locale != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values.setdefault("lang", locale)
    return _links(external_url(endpoint, **values))["webcal"]
