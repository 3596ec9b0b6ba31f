"""Private calendar feeds (a nonce per person behind their feed's secret address), and an
attachment on outbox messages (the event as an .ics file).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_nonce", sa.String(length=32), nullable=True))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("attachment_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("attachment_body", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("attachment_body")
        batch_op.drop_column("attachment_type")
        batch_op.drop_column("attachment_name")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("calendar_nonce")
