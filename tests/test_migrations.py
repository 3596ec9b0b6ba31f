"""The migrations build exactly the schema the models describe, with its constraints."""

import os
import warnings
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from convene import ROOT, create_app
from convene.extensions import db
from convene.models import Member, Theme, User, UserRole

from .conftest import TEST_DATABASE_URL
from .conftest import test_config as config_for
from .factories import make_user


def test_the_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        with warnings.catch_warnings():
            # The case-insensitive e-mail index is an expression; its own test checks it.
            warnings.filterwarnings("ignore", message=".*expression-based index")
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_first_migration_seeds_the_theme_tree(app):
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    assert len(themes) == 12
    assert themes["open-justice"].parent.slug == "open-state"
    assert themes["open-contracting"].parent.slug == "anti-corruption"
    assert themes["youth"].name_fr == "Jeunesse"
    assert themes["local"].name_es == "Gobierno abierto local"


def test_enum_values_are_checked_by_the_database(app):
    user = make_user()
    db.session.execute(
        UserRole.__table__.insert().values(
            user_id=user.id, role="admin", granted_at=user.created_at
        )
    )
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("INSERT INTO user_roles (user_id, role, granted_at) VALUES (:u, 'emperor', :t)"),
            {"u": user.id, "t": user.created_at},
        )
        db.session.commit()
    db.session.rollback()


def test_country_codes_are_checked_by_the_database(app):
    with pytest.raises(IntegrityError):
        db.session.execute(
            Member.__table__.insert().values(
                name="X", slug="x", kind="other", country="fr", created_at=db.func.now()
            )
        )
        db.session.commit()
    db.session.rollback()


def test_foreign_keys_are_enforced(app):
    with pytest.raises(IntegrityError):
        db.session.execute(
            UserRole.__table__.insert().values(
                user_id=999_999, role="admin", granted_at=db.func.now()
            )
        )
        db.session.commit()
    db.session.rollback()


def test_naive_datetimes_are_refused(app):
    from datetime import datetime

    user = make_user()
    user.last_sign_in_at = datetime(2026, 1, 1, 12, 0)  # noqa: DTZ001
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_timestamps_come_back_in_utc(app):
    user = make_user()
    db.session.expire_all()
    reloaded = db.session.get(User, user.id)
    assert reloaded.created_at.utcoffset().total_seconds() == 0


@pytest.fixture
def another_database(tmp_path):
    """An empty database of its own, beside the suite's, for migrating step by step."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    base = sa.make_url(TEST_DATABASE_URL)
    name = f"{base.database}_{os.getpid()}_migrations"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_review_rounds_are_derived_from_the_recorded_resubmissions(another_database):
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def at(hours: int) -> datetime:
        return t0 + timedelta(hours=hours)

    other_app = create_app("testing", config_for(another_database))
    with other_app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="0008")
        tables = sa.MetaData()
        tables.reflect(db.engine, only=["users", "members", "proposals", "reviews"])
        transitions = sa.table(
            "proposal_transitions",
            *(sa.column(n) for n in ("proposal_id", "from_status", "to_status", "comment")),
            sa.column("created_at", sa.DateTime(timezone=True)),
        )
        users, members, proposals, reviews = (
            tables.tables[n] for n in ("users", "members", "proposals", "reviews")
        )
        with db.engine.begin() as connection:
            for user_id in (1, 2, 3):
                connection.execute(
                    users.insert().values(
                        id=user_id, email=f"r{user_id}@example.org", name=f"R{user_id}",
                        timezone="UTC", active=True, session_token=f"t{user_id}",
                        created_at=t0,
                    )
                )  # fmt: skip
            connection.execute(
                members.insert().values(
                    id=1, slug="m", name="M", kind="civil_society", country="FR", created_at=t0
                )
            )
            for proposal_id, status in ((1, "in_review"), (2, "in_review")):
                connection.execute(
                    proposals.insert().values(
                        id=proposal_id, member_id=1, status=status, title=f"P{proposal_id}",
                        summary="", audience="", languages=[], created_at=t0, updated_at=t0,
                    )
                )  # fmt: skip
            # Proposal 1 was sent back twice and is in its third round; proposal 2 never was.
            steps = [
                (1, None, "draft", 0),
                (1, "draft", "submitted", 1),
                (1, "submitted", "in_review", 2),
                (1, "in_review", "changes_requested", 3),
                (1, "changes_requested", "submitted", 4),
                (1, "submitted", "in_review", 5),
                (1, "in_review", "changes_requested", 6),
                (1, "changes_requested", "submitted", 7),
                (1, "submitted", "in_review", 8),
                (2, None, "draft", 0),
                (2, "draft", "submitted", 1),
                (2, "submitted", "in_review", 2),
            ]
            connection.execute(
                transitions.insert(),
                [
                    dict(proposal_id=p, from_status=a, to_status=b, comment="", created_at=at(h))
                    for p, a, b, h in steps
                ],
            )
            # Each review holds what its reviewer last wrote, in the round of that writing.
            written = [(1, 1, 2), (1, 2, 5), (1, 3, 9), (2, 1, 3)]
            connection.execute(
                reviews.insert(),
                [
                    dict(proposal_id=p, reviewer_id=r, recommendation="accept", relevance=3,
                         ambition=3, co_creation=3, feasibility=3, comment="",
                         created_at=at(h), updated_at=at(h))
                    for p, r, h in written
                ],
            )  # fmt: skip

        upgrade(directory=str(ROOT / "migrations"), revision="0009")
        with db.engine.connect() as connection:
            rounds = dict(connection.execute(text("SELECT id, review_round FROM proposals")).all())
            kept = connection.execute(
                text('SELECT proposal_id, reviewer_id, "round" FROM reviews ORDER BY id')
            ).all()
        assert rounds == {1: 3, 2: 1}
        with db.engine.connect() as connection:
            recorded = connection.scalar(text("SELECT count(*) FROM proposal_transitions"))
        assert recorded == len(steps)  # nothing that points at a proposal went with it
        assert [tuple(row) for row in kept] == [(1, 1, 1), (1, 2, 2), (1, 3, 3), (2, 1, 1)]

        # A later round's review by the same reviewer now sits beside the earlier one.
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    'INSERT INTO reviews (proposal_id, reviewer_id, "round", recommendation,'
                    " relevance, ambition, co_creation, feasibility, comment, created_at,"
                    " updated_at) VALUES (1, 1, 3, 'accept', 5, 5, 5, 5, 'Later.', :t, :t)"
                ),
                {"t": at(10)},
            )
        # Going back keeps each reviewer's latest review, the one the older schema showed.
        downgrade(directory=str(ROOT / "migrations"), revision="0008")
        with db.engine.connect() as connection:
            left = connection.execute(
                text("SELECT proposal_id, reviewer_id, comment FROM reviews ORDER BY id")
            ).all()
        assert [tuple(row) for row in left] == [
            (1, 2, ""),
            (1, 3, ""),
            (2, 1, ""),
            (1, 1, "Later."),
        ]
        db.engine.dispose()
