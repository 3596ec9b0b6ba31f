"""E-mail composition: one table of templates, subjects in the recipient's language."""

from convene import ROOT
from convene.extensions import db
from convene.services import mail
from convene.services import registration as reg

from .conftest import outbox_to
from .factories import make_event, make_user, registration_input


def test_every_email_template_has_one_entry_and_every_entry_a_template():
    templates = {path.stem for path in (ROOT / "templates" / "emails").glob("*.txt")}
    assert set(mail.MESSAGES) == templates


def test_a_message_to_a_person_is_in_their_language(app):
    person = make_user(email="claire@example.org", name="Claire", locale="fr")
    mail.send("account_exists", person, locale="es", sign_in_url="s", reset_url="r")
    db.session.commit()
    [message] = outbox_to("claire@example.org")
    assert message.kind == "account_exists"
    assert message.subject == "Votre compte convene"
    assert message.body_text.startswith("Bonjour Claire,")


def test_a_message_to_an_address_is_in_the_language_asked(app):
    person = make_user(name="Desk")
    links = {"sign_in_url": "s", "reset_url": "r"}
    mail.send("account_exists", "desk@example.org", "es", user=person, **links)
    db.session.commit()
    [message] = outbox_to("desk@example.org")
    assert message.subject == "Su cuenta de convene"


def test_only_the_calendar_messages_carry_the_event(app):
    event = make_event(capacity=1)
    first, _new = reg.register(event, registration_input(), actor=make_user(email="a@example.org"))
    second, _new = reg.register(event, registration_input(), actor=make_user(email="b@example.org"))
    db.session.commit()
    assert mail.MESSAGES["registration_confirmed"].calendar
    assert not mail.MESSAGES["registration_waitlisted"].calendar
    [confirmed] = outbox_to("a@example.org")
    [waitlisted] = outbox_to("b@example.org")
    assert confirmed.kind == "registration_confirmed"
    assert confirmed.attachment_type == "text/calendar"
    assert waitlisted.kind == "registration_waitlisted"
    assert waitlisted.attachment_body is None
