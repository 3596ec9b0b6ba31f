"""Command line: `flask --app convene users|members|themes|outbox|leaders|demo …`."""

import functools

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from . import jobs
from .database import writing
from .demo.command import demo_command
from .extensions import db
from .models import MemberKind, Role, User
from .policy import SYSTEM
from .services import (
    DomainError,
    accounts,
    members,
    outbox,
    themes,
)


class WritingGroup(AppGroup):
    """Commands that change data: their transactions take the write lock up front."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorate(function):
            @functools.wraps(function)
            def run(*a, **k):
                with writing():
                    return function(*a, **k)

            return register(run)

        return decorate


users_cli = WritingGroup("users", help="People and their platform roles.")
members_cli = WritingGroup("members", help="Members and their focal points.")
themes_cli = WritingGroup("themes", help="The theme tree.")
outbox_cli = WritingGroup("outbox", help="The e-mail outbox.")
events_cli = WritingGroup("events", help="Scheduled work on events.")
registrations_cli = WritingGroup("registrations", help="Scheduled work on registrations.")
followup_cli = WritingGroup("followup", help="Follow-up of commitments.")
leaders_cli = WritingGroup("leaders", help="Scheduled work on leaderships.")

ROLE_CHOICE = click.Choice([role.value for role in Role])


def _fail(error: DomainError) -> None:
    db.session.rollback()
    details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.fields.items())
    raise click.ClickException(f"{error.message}{' (' + details + ')' if details else ''}")


def _user(email: str):
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", type=ROLE_CHOICE, multiple=True, help="admin, reviewer, assessor")
def create_user(email, name, password, roles):
    """Create a confirmed account, optionally with platform roles."""
    try:
        user = accounts.create_user(email, name, password, confirmed=True)
        for role in roles:
            accounts.grant_role(SYSTEM, user, Role(role))
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Created {user.email}" + (f" ({', '.join(roles)})" if roles else "") + ".")


def _email_and_role(command):
    """The arguments of the commands that change a person's roles: EMAIL, then ROLE."""
    return click.argument("email")(click.argument("role", type=ROLE_CHOICE)(command))


def _change_role(change, email: str, role: str, done: str) -> None:
    """`change` (accounts.grant_role or revoke_role) made by the system and committed;
    then `done` is printed."""
    change(SYSTEM, _user(email), Role(role))
    db.session.commit()
    click.echo(done)


@users_cli.command("grant")
@_email_and_role
def grant_role(email, role):
    """Give a person a platform role."""
    _change_role(accounts.grant_role, email, role, f"{email} is now {role}.")


@users_cli.command("revoke")
@_email_and_role
def revoke_role(email, role):
    """Take a platform role away from a person."""
    _change_role(accounts.revoke_role, email, role, f"{email} is no longer {role}.")


@users_cli.command("list")
def list_users():
    """Every account with its roles."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        roles = ",".join(sorted(user.role_names)) or "-"
        state = "confirmed" if user.email_confirmed else "unconfirmed"
        click.echo(f"{user.id}\t{user.email}\t{user.name}\t{roles}\t{state}")


@members_cli.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice([kind.value for kind in MemberKind]), required=True)
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, like FR.")
@click.option("--slug", help="Short name used in addresses (made from the name if omitted).")
@click.option("--website")
def add_member(name, kind, country, slug, website):
    """Add a member of the partnership."""
    try:
        member = members.create_member(SYSTEM, name, kind, country, website, slug)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Added member {member.id} {member.name} ({member.slug}).")


@members_cli.command("add-focal-point")
@click.argument("member")
@click.argument("email")
@click.option("--name", help="The person's name, to invite someone who has no account yet.")
def add_focal_point(member, email, name):
    """Make a person a focal point of MEMBER (id, short name or name)."""
    try:
        focal_point = members.add_focal_point(SYSTEM, members.find_member(member), email, name)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    outbox.deliver_pending(outbox.take_queued_ids())
    click.echo(f"{focal_point.user.email} is a focal point of {focal_point.member.name}.")


@members_cli.command("list")
def list_members():
    """Every member."""
    for member in db.session.scalars(members.members_query()):
        click.echo(
            f"{member.id}\t{member.slug}\t{member.name}\t{member.kind.value}\t{member.country}"
        )


@themes_cli.command("seed")
def seed_themes():
    """Add the default themes that are missing."""
    added = themes.seed_default_themes()
    db.session.commit()
    click.echo(f"Added {added} themes.")


@outbox_cli.command("deliver")
def deliver():
    """Send every due message (run it from cron when no worker is configured)."""
    report = jobs.deliver_mail()
    click.echo(f"Sent {len(report.sent)}, failed {len(report.failed)}.")


@outbox_cli.command("retry")
def retry():
    """Make failed messages due again, then deliver."""
    count = outbox.retry_failed(SYSTEM)
    db.session.commit()
    report = outbox.deliver_pending()
    click.echo(f"Retrying {count}: sent {len(report.sent)}, failed {len(report.failed)}.")


def _days_option(meaning: str, setting: str):
    """`--days`, 0 or more; left out, the job reads the configuration's `setting`."""
    help_ = f"{meaning} (default: {setting})."
    return click.option("--days", type=click.IntRange(min=0), default=None, help=help_)


@events_cli.command("complete-ended")
def complete_ended():
    """Mark published events whose end has passed as completed (run every 15 minutes)."""
    click.echo(f"Completed {jobs.complete_ended_events()} events.")


@registrations_cli.command("expire")
def expire_registrations():
    """Cancel registrations whose e-mail address was not confirmed in time (run every 15
    minutes)."""
    click.echo(f"Expired {jobs.expire_registrations()} unconfirmed registrations.")


@registrations_cli.command("anonymise")
@_days_option("Days after an event's end", "ANONYMISE_AFTER_DAYS")
def anonymise(days):
    """Erase personal answers of events that ended long ago, keeping the aggregates."""
    days = current_app.config["ANONYMISE_AFTER_DAYS"] if days is None else days
    count = jobs.anonymise_registrations(days)
    click.echo(f"Anonymised {count} events that ended more than {days} days ago.")


@followup_cli.command("remind")
@_days_option("Days before a due date", "FOLLOWUP_REMINDER_DAYS")
def remind(days):
    """E-mail reminders about commitments due soon or overdue (run daily)."""
    click.echo(f"Sent {jobs.send_followup_reminders(days)} reminders.")


@leaders_cli.command("end-terms")
def end_terms():
    """End leaderships whose term is over and tell those ending within 30 days (run daily)."""
    report = jobs.end_leadership_terms()
    click.echo(
        f"Ended {report.ended} leaderships; told {report.noticed} that their term ends soon."
    )


def init_app(app: Flask) -> None:
    groups = (
        users_cli,
        members_cli,
        themes_cli,
        outbox_cli,
        events_cli,
        registrations_cli,
        followup_cli,
        leaders_cli,
    )
    for group in groups:
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
