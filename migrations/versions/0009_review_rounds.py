"""Review rounds: every round's reviews are kept, one per reviewer and round.

Revision ID: 0009
Revises: 0008

A proposal's round starts at 1 and rises each time it is submitted again after changes were
requested, which every proposal's recorded transitions tell exactly. Before this revision a
reviewer's review was overwritten from round to round, so an existing review holds what its
reviewer last wrote: it belongs to the round in which it was last updated.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

transitions = sa.table(
    "proposal_transitions",
    sa.column("proposal_id", sa.Integer()),
    sa.column("from_status", sa.String()),
    sa.column("to_status", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
proposals = sa.table(
    "proposals", sa.column("id", sa.Integer()), sa.column("review_round", sa.Integer())
)
reviews = sa.table(
    "reviews",
    sa.column("proposal_id", sa.Integer()),
    sa.column("reviewer_id", sa.Integer()),
    sa.column("round", sa.Integer()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _resubmissions(proposal_id):
    """Transitions that opened a new round of `proposal_id`."""
    return (
        sa.select(sa.func.count())
        .select_from(transitions)
        .where(
            transitions.c.proposal_id == proposal_id,
            transitions.c.from_status == "changes_requested",
            transitions.c.to_status == "submitted",
        )
    )


def upgrade():
    # A plain ADD COLUMN, never a batch "recreate" of proposals: on SQLite, dropping the old
    # table deletes, through ON DELETE CASCADE, every row that points at it (its transitions,
    # hosts, themes and reviews). Nothing points at reviews, so that table may be recreated.
    op.add_column(
        "proposals", sa.Column("review_round", sa.Integer(), server_default="1", nullable=False)
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_check_constraint(op.f("ck_reviews_round_positive"), '"round" >= 1')
        batch_op.drop_constraint(op.f("uq_reviews_proposal_id_reviewer_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_reviews_proposal_id_round_reviewer_id"),
            ["proposal_id", "round", "reviewer_id"],
        )

    op.execute(
        proposals.update().values(review_round=1 + _resubmissions(proposals.c.id).scalar_subquery())
    )
    op.execute(
        reviews.update().values(
            round=1
            + _resubmissions(reviews.c.proposal_id)
            .where(transitions.c.created_at <= reviews.c.updated_at)
            .scalar_subquery()
        )
    )


def downgrade():
    # The older schema holds one review per reviewer: each keeps their latest round's.
    later = reviews.alias("later")
    op.execute(
        reviews.delete().where(
            sa.exists().where(
                later.c.proposal_id == reviews.c.proposal_id,
                later.c.reviewer_id == reviews.c.reviewer_id,
                later.c.round > reviews.c.round,
            )
        )
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_reviews_proposal_id_round_reviewer_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_reviews_proposal_id_reviewer_id"), ["proposal_id", "reviewer_id"]
        )
        batch_op.drop_constraint(op.f("ck_reviews_round_positive"), type_="check")
        batch_op.drop_column("round")
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch recreate (see upgrade); SQLite drops a column without one since 3.35.
        op.execute("ALTER TABLE proposals DROP COLUMN review_round")
    else:
        op.drop_column("proposals", "review_round")
