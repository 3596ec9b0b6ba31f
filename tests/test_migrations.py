"""The migrations build exactly the schema the models describe, with its constraints."""

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from convene.extensions import db
from convene.models import Member, Theme, User, UserRole

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
