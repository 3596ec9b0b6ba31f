"""The thematic leadership programme: calls with their criteria, the groups that apply
(members and individuals), statements, planned activities, reviews scored by criterion,
and leaderships with their people and term.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "leadership_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("programme_area", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("who_may_apply", sa.Text(), nullable=False),
        sa.Column("individuals_welcome", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "closed",
                "decided",
                name=op.f("ck_leadership_calls_call_status"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("term_starts_on", sa.Date(), nullable=False),
        sa.Column("term_ends_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language", sa.String(length=2), server_default="en", nullable=False),
        sa.Column("translations", sa.JSON(), server_default="{}", nullable=False),
        sa.CheckConstraint(
            "closes_on > opens_on", name=op.f("ck_leadership_calls_closes_after_opening")
        ),
        sa.CheckConstraint(
            "term_ends_on > term_starts_on", name=op.f("ck_leadership_calls_term_ends_after_start")
        ),
        sa.CheckConstraint(
            "theme_id IS NOT NULL OR programme_area IS NOT NULL",
            name=op.f("ck_leadership_calls_theme_or_area"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_leadership_calls_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_leadership_calls_theme_id_themes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_calls")),
    )
    with op.batch_alter_table("leadership_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leadership_calls_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_leadership_calls_theme_id"), ["theme_id"], unique=False
        )

    op.create_table(
        "call_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), server_default="en", nullable=False),
        sa.Column("translations", sa.JSON(), server_default="{}", nullable=False),
        sa.CheckConstraint("weight > 0", name=op.f("ck_call_criteria_weight_positive")),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["leadership_calls.id"],
            name=op.f("fk_call_criteria_call_id_leadership_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_criteria")),
    )
    with op.batch_alter_table("call_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_criteria_call_id"), ["call_id"], unique=False)

    op.create_table(
        "leadership_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "changes_requested",
                "appointed",
                "declined",
                "withdrawn",
                name=op.f("ck_leadership_applications_application_status"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("waiver_reason", sa.Text(), nullable=True),
        sa.Column("waived_by_id", sa.Integer(), nullable=True),
        sa.Column("waived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("round", sa.Integer(), server_default="1", nullable=False),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('"round" >= 1', name=op.f("ck_leadership_applications_round_positive")),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["leadership_calls.id"],
            name=op.f("fk_leadership_applications_call_id_leadership_calls"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_leadership_applications_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["waived_by_id"],
            ["users.id"],
            name=op.f("fk_leadership_applications_waived_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_applications")),
    )
    with op.batch_alter_table("leadership_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_leadership_applications_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_leadership_applications_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_leadership_applications_status"), ["status"], unique=False
        )

    op.create_table(
        "application_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "invited",
                "confirmed",
                "declined",
                name=op.f("ck_application_people_participant_status"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("affiliation", sa.String(length=200), nullable=True),
        sa.Column(
            "sector",
            sa.Enum(
                "government",
                "civil_society",
                "academia",
                "private_sector",
                "international_organisation",
                "media",
                "other",
                name=op.f("ck_application_people_person_sector"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("on_steering_committee", sa.Boolean(), nullable=False),
        sa.Column("shown_publicly", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "member_id IS NOT NULL OR name IS NOT NULL",
            name=op.f("ck_application_people_member_or_name"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["leadership_applications.id"],
            name=op.f("fk_application_people_application_id_leadership_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_application_people_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["responded_by_id"],
            ["users.id"],
            name=op.f("fk_application_people_responded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_application_people_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_people")),
        sa.UniqueConstraint(
            "application_id",
            "member_id",
            name=op.f("uq_application_people_application_id_member_id"),
        ),
    )
    with op.batch_alter_table("application_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_people_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "application_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('"round" >= 1', name=op.f("ck_application_reviews_round_positive")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["leadership_applications.id"],
            name=op.f("fk_application_reviews_application_id_leadership_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_application_reviews_reviewer_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_reviews")),
        sa.UniqueConstraint(
            "application_id",
            "round",
            "reviewer_id",
            name=op.f("uq_application_reviews_application_id_round_reviewer_id"),
        ),
    )
    with op.batch_alter_table("application_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_reviews_reviewer_id"), ["reviewer_id"], unique=False
        )

    op.create_table(
        "application_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "changes_requested",
                "appointed",
                "declined",
                "withdrawn",
                name=op.f("ck_application_transitions_from_status"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "changes_requested",
                "appointed",
                "declined",
                "withdrawn",
                name=op.f("ck_application_transitions_to_status"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_application_transitions_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["leadership_applications.id"],
            name=op.f("fk_application_transitions_application_id_leadership_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_transitions")),
    )
    with op.batch_alter_table("application_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_transitions_application_id"),
            ["application_id"],
            unique=False,
        )

    op.create_table(
        "criterion_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["leadership_applications.id"],
            name=op.f("fk_criterion_statements_application_id_leadership_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["call_criteria.id"],
            name=op.f("fk_criterion_statements_criterion_id_call_criteria"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_statements")),
        sa.UniqueConstraint(
            "application_id",
            "criterion_id",
            name=op.f("uq_criterion_statements_application_id_criterion_id"),
        ),
    )
    with op.batch_alter_table("criterion_statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_statements_criterion_id"), ["criterion_id"], unique=False
        )

    op.create_table(
        "leaderships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("programme_area", sa.String(length=200), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "ended",
                name=op.f("ck_leaderships_leadership_status"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("term_starts_on", sa.Date(), nullable=True),
        sa.Column("term_ends_on", sa.Date(), nullable=True),
        sa.Column("renewal_call_id", sa.Integer(), nullable=True),
        sa.Column("ending_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "term_ends_on IS NULL OR term_starts_on IS NULL OR term_ends_on > term_starts_on",
            name=op.f("ck_leaderships_term_ends_after_start"),
        ),
        sa.CheckConstraint(
            "theme_id IS NOT NULL OR programme_area IS NOT NULL",
            name=op.f("ck_leaderships_theme_or_area"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["leadership_applications.id"],
            name=op.f("fk_leaderships_application_id_leadership_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["renewal_call_id"],
            ["leadership_calls.id"],
            name=op.f("fk_leaderships_renewal_call_id_leadership_calls"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_leaderships_theme_id_themes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaderships")),
        sa.UniqueConstraint("application_id", name=op.f("uq_leaderships_application_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_leaderships_slug")),
    )
    with op.batch_alter_table("leaderships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leaderships_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_leaderships_term_ends_on"), ["term_ends_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_leaderships_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "planned_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "event",
                "commitment",
                name=op.f("ck_planned_activities_activity_kind"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("planned_for", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["leadership_applications.id"],
            name=op.f("fk_planned_activities_application_id_leadership_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_activities")),
    )
    with op.batch_alter_table("planned_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_planned_activities_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "criterion_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_criterion_scores_score_range")),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["call_criteria.id"],
            name=op.f("fk_criterion_scores_criterion_id_call_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["application_reviews.id"],
            name=op.f("fk_criterion_scores_review_id_application_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_scores")),
        sa.UniqueConstraint(
            "review_id", "criterion_id", name=op.f("uq_criterion_scores_review_id_criterion_id")
        ),
    )
    with op.batch_alter_table("criterion_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_scores_criterion_id"), ["criterion_id"], unique=False
        )

    op.create_table(
        "leadership_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leadership_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("affiliation", sa.String(length=200), nullable=True),
        sa.Column(
            "sector",
            sa.Enum(
                "government",
                "civil_society",
                "academia",
                "private_sector",
                "international_organisation",
                "media",
                "other",
                name=op.f("ck_leadership_people_person_sector"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("on_steering_committee", sa.Boolean(), nullable=False),
        sa.Column("shown_publicly", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "member_id IS NOT NULL OR name IS NOT NULL",
            name=op.f("ck_leadership_people_member_or_name"),
        ),
        sa.ForeignKeyConstraint(
            ["leadership_id"],
            ["leaderships.id"],
            name=op.f("fk_leadership_people_leadership_id_leaderships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_leadership_people_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_leadership_people_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_people")),
        sa.UniqueConstraint(
            "leadership_id", "member_id", name=op.f("uq_leadership_people_leadership_id_member_id")
        ),
    )
    with op.batch_alter_table("leadership_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_leadership_people_member_id"), ["member_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("leadership_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leadership_people_member_id"))

    op.drop_table("leadership_people")
    with op.batch_alter_table("criterion_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_scores_criterion_id"))

    op.drop_table("criterion_scores")
    with op.batch_alter_table("planned_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_activities_application_id"))

    op.drop_table("planned_activities")
    with op.batch_alter_table("leaderships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leaderships_theme_id"))
        batch_op.drop_index(batch_op.f("ix_leaderships_term_ends_on"))
        batch_op.drop_index(batch_op.f("ix_leaderships_status"))

    op.drop_table("leaderships")
    with op.batch_alter_table("criterion_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_statements_criterion_id"))

    op.drop_table("criterion_statements")
    with op.batch_alter_table("application_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_transitions_application_id"))

    op.drop_table("application_transitions")
    with op.batch_alter_table("application_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_reviews_reviewer_id"))

    op.drop_table("application_reviews")
    with op.batch_alter_table("application_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_people_member_id"))

    op.drop_table("application_people")
    with op.batch_alter_table("leadership_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leadership_applications_status"))
        batch_op.drop_index(batch_op.f("ix_leadership_applications_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_leadership_applications_call_id"))

    op.drop_table("leadership_applications")
    with op.batch_alter_table("call_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_criteria_call_id"))

    op.drop_table("call_criteria")
    with op.batch_alter_table("leadership_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leadership_calls_theme_id"))
        batch_op.drop_index(batch_op.f("ix_leadership_calls_status"))

    op.drop_table("leadership_calls")
