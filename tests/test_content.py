"""Content in several languages: events' titles and descriptions written in one language,
translated into others; readers see theirs, or the original marked as such."""

import pytest

from convene.extensions import db
from convene.models import Event
from convene.services import InvalidInput, content

from .dates import SUNDAY, utc
from .factories import make_event, make_user
from .test_event_pages import as_person, details, page, reload


def test_a_reader_gets_their_language_or_the_original_marked_as_such(app):
    event = make_event(title="Open Justice Forum", description="")
    event.translations = {"fr": {"title": "Forum de la justice ouverte"}}

    assert content.shown(event, "title", "fr") == content.Shown(
        "Forum de la justice ouverte", "fr", False
    )
    assert content.shown(event, "title", "es") == content.Shown("Open Justice Forum", "en", True)
    assert content.shown(event, "title", "en").fallback is False
    # Nothing to translate is not a missing translation.
    assert content.shown(event, "description", "es").fallback is False


@pytest.mark.parametrize(
    ("language", "translations", "field"),
    [
        ("de", {}, "language"),
        ("en", {"en": {"title": "Same"}}, "translations.en"),
        ("en", {"pt": {"title": "Fórum"}}, "translations.pt"),
        ("en", {"fr": {"subtitle": "x"}}, "translations.fr.subtitle"),
        ("en", {"fr": {"title": "x" * 301}}, "translations.fr.title"),
        ("en", {"fr": "Forum"}, "translations.fr"),
    ],
)
def test_bad_translations_are_refused_by_field(language, translations, field):
    with pytest.raises(InvalidInput) as refused:
        content.clean_translations(language, translations)
    assert field in refused.value.fields


def test_empty_translations_are_dropped():
    cleaned = content.clean_translations(
        "fr", {"en": {"title": " Forum ", "description": ""}, "es": {"title": ""}}
    )
    assert cleaned == {"en": {"title": "Forum"}}


def test_organisers_translate_an_event_and_readers_see_their_language(app, client):
    organiser = make_user()
    event = make_event(organisers=[organiser], starts_at=utc(SUNDAY, 9), days=0)
    org_client = as_person(app, organiser)
    form = details(
        language="en",
        title_fr="Forum <b>justice</b> 2031",
        description_fr="Une journée sur la justice ouverte.",
        title_es="",
    )

    response = org_client.post(f"/events/{event.slug}/manage/details", data=form)

    assert response.status_code == 302
    saved = reload(Event, event.id)
    assert saved.translations == {
        "fr": {
            "title": "Forum <b>justice</b> 2031",
            "description": "Une journée sur la justice ouverte.",
        }
    }
    assert saved.sequence == 1
    french = page(client.get(f"/events/{event.slug}", headers={"Accept-Language": "fr"}))
    assert "Forum &lt;b&gt;justice&lt;/b&gt; 2031" in french and "<b>justice" not in french
    assert "Une journée sur la justice ouverte." in french
    spanish = page(client.get(f"/events/{event.slug}", headers={"Accept-Language": "es"}))
    assert '<span lang="en">Open Justice Forum 2031</span>' in spanish
    assert "(en inglés)" in spanish
    english = page(client.get(f"/events/{event.slug}"))
    assert "Open Justice Forum 2031" in english and "original-language" not in english


def test_a_translation_into_the_original_language_is_ignored_by_the_form(app):
    organiser = make_user()
    event = make_event(organisers=[organiser])
    org_client = as_person(app, organiser)

    response = org_client.post(
        f"/events/{event.slug}/manage/details",
        data=details(language="fr", title_fr="Ignoré", title_en="Open Justice Forum"),
    )

    assert response.status_code == 302
    saved = reload(Event, event.id)
    assert (saved.language, saved.translations) == ("fr", {"en": {"title": "Open Justice Forum"}})
    db.session.commit()


def bearer(person) -> dict:
    from convene.services import accounts

    _token, secret = accounts.create_api_token(person, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_takes_translations_and_answers_in_the_readers_language(app, client):
    organiser = make_user()
    event = make_event(organisers=[organiser])
    headers = bearer(organiser)

    changed = client.patch(
        f"/api/v1/events/{event.id}",
        json={"translations": {"es": {"title": "Foro de justicia abierta"}}},
        headers=headers,
    )

    assert changed.status_code == 200, changed.json
    assert changed.json["translations"] == {"es": {"title": "Foro de justicia abierta"}}
    spanish = client.get(f"/api/v1/events/{event.id}", headers={"Accept-Language": "es"}).json
    assert spanish["title"] == "Foro de justicia abierta"
    assert spanish["shown_languages"] == {"title": "es", "description": "en"}
    plain = client.get(f"/api/v1/events/{event.id}").json
    assert (plain["title"], plain["language"]) == ("Open Justice Forum", "en")
    # Leaving translations out of a later change keeps them.
    client.patch(f"/api/v1/events/{event.id}", json={"title": "Forum 2031"}, headers=headers)
    assert reload(Event, event.id).translations == {"es": {"title": "Foro de justicia abierta"}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"translations": {"en": {"title": "Same language"}}}, "translations.en"),
        ({"translations": {"fr": {"title": "x" * 301}}}, "translations.fr.title"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_translations_through_the_api_are_422(app, client, body, field):
    organiser = make_user()
    event = make_event(organisers=[organiser])

    response = client.patch(f"/api/v1/events/{event.id}", json=body, headers=bearer(organiser))

    assert response.status_code == 422, response.json
    assert any(name.startswith(field) for name in response.json["error"]["fields"])
    assert reload(Event, event.id).translations == {}


def test_feeds_speak_the_language_asked_for(app, client):
    event = make_event(title="Open Justice Forum", description="A day on open justice.")
    event.languages = ["en", "fr"]
    event.translations = {"fr": {"title": "Forum de la justice ouverte"}}
    db.session.commit()

    french = client.get(f"/events/{event.slug}.ics?lang=fr")
    original = client.get(f"/events/{event.slug}.ics")
    unknown = client.get(f"/events/{event.slug}.ics?lang=de")

    french_text = french.get_data(as_text=True)
    assert "SUMMARY:Forum de la justice ouverte" in french_text
    assert "Langues" in french_text  # the labels too
    # No French description: the original stays.
    assert "A day on open justice." in french_text
    assert "SUMMARY:Open Justice Forum" in original.get_data(as_text=True)
    assert french.headers["ETag"] != original.headers["ETag"]
    assert unknown.headers["ETag"] == original.headers["ETag"]


def test_the_subscribe_link_carries_the_readers_language(app, client):
    event = make_event()
    page_fr = page(client.get(f"/events/{event.slug}", headers={"Accept-Language": "fr"}))
    page_en = page(client.get(f"/events/{event.slug}"))
    assert f"/events/{event.slug}.ics?lang=fr" in page_fr
    assert "lang=" not in page_en.split("webcal://", 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("title", ["Forum\r\nATTENDEE:mailto:x@example.org", "Two\nlines"])
def test_titles_are_one_line(app, client, title):
    organiser = make_user()
    event = make_event(organisers=[organiser])

    response = client.patch(
        f"/api/v1/events/{event.id}", json={"title": title}, headers=bearer(organiser)
    )

    assert response.status_code == 422
    assert response.json["error"]["fields"]["title"] == ["Keep this on one line."]
    assert reload(Event, event.id).title == "Open Justice Forum"
