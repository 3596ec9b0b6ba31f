"""`flask --app convene demo`: the demo loaded into an empty database."""

import click

from ..database import writing
from ..extensions import db
from ..services import outbox
from . import DEMO_PASSWORD, is_empty, load_demo


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has data.")
@click.option("--password", default=DEMO_PASSWORD, show_default=True)
def demo_command(if_empty: bool, password: str) -> None:
    """Fill an empty database with a realistic demo."""
    with writing():
        _load(if_empty, password)


def _load(if_empty: bool, password: str) -> None:
    if not is_empty():
        if if_empty:
            click.echo("The database already has data; the demo was not loaded.")
            return
        raise click.ClickException(
            "The database is not empty; the demo loads only into an empty one."
        )
    people = load_demo(password)
    db.session.commit()
    queued = len(outbox.take_queued_ids())
    click.echo(f"Demo loaded. Every demo person's password is: {password}")
    click.echo(
        f"The demo wrote {queued} e-mails to the outbox; `flask --app convene outbox "
        "deliver` sends them."
    )
    for who, email in people.items():
        click.echo(f"  {who:<32} {email}")
