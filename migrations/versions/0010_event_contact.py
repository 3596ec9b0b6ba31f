"""An event's public contact e-mail, which calendars give as the event's ORGANIZER.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, never a batch "recreate" of events: on SQLite, dropping the old
    # table would delete, through ON DELETE CASCADE, every row that points at an event.
    op.add_column("events", sa.Column("contact_email", sa.String(length=254), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch recreate (see upgrade); SQLite drops a column without one since 3.35.
        op.execute("ALTER TABLE events DROP COLUMN contact_email")
    else:
        op.drop_column("events", "contact_email")
