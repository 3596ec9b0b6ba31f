"""The thematic leadership programme: calls for leaders, the groups that apply, their
reviews by criterion, and the leaderships appointed for a term."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from .base import Translatable, UTCDateTime, enum_column, labels, utcnow
from .columns import ShownBySlug, foreign_key, owned
from .events import Sector


class CallStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"


CALL_STATUS_LABELS = labels(
    CallStatus,
    {
        CallStatus.DRAFT: _l("Draft"),
        CallStatus.OPEN: _l("Open"),
        CallStatus.CLOSED: _l("Closed"),
        CallStatus.DECIDED: _l("Decided"),
    },
)


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPOINTED = "appointed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


APPLICATION_STATUS_LABELS = labels(
    ApplicationStatus,
    {
        ApplicationStatus.DRAFT: _l("Draft"),
        ApplicationStatus.SUBMITTED: _l("Submitted"),
        ApplicationStatus.IN_REVIEW: _l("In review"),
        ApplicationStatus.CHANGES_REQUESTED: _l("Changes requested"),
        ApplicationStatus.APPOINTED: _l("Appointed"),
        ApplicationStatus.DECLINED: _l("Declined"),
        ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
    },
)


class ParticipantStatus(enum.StrEnum):
    """A member in a group takes part once one of its focal points confirms, as co-hosts do;
    an individual takes part from the moment they are added (they consent to be shown)."""

    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


PARTICIPANT_STATUS_LABELS = labels(
    ParticipantStatus,
    {
        ParticipantStatus.INVITED: _l("Invited"),
        ParticipantStatus.CONFIRMED: _l("Confirmed"),
        ParticipantStatus.DECLINED: _l("Declined"),
    },
)


class ActivityKind(enum.StrEnum):
    EVENT = "event"
    COMMITMENT = "commitment"


ACTIVITY_KIND_LABELS = labels(
    ActivityKind,
    {
        ActivityKind.EVENT: _l("An event to host"),
        ActivityKind.COMMITMENT: _l("A commitment to champion"),
    },
)


class LeadershipStatus(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


LEADERSHIP_STATUS_LABELS = labels(
    LeadershipStatus,
    {LeadershipStatus.ACTIVE: _l("Active"), LeadershipStatus.ENDED: _l("Ended")},
)


class LeadershipCall(Translatable, db.Model):
    """A call for the leaders of a theme or a programme area, for one term."""

    __tablename__ = "leadership_calls"
    __table_args__ = (
        CheckConstraint("closes_on > opens_on", name="closes_after_opening"),
        CheckConstraint("term_ends_on > term_starts_on", name="term_ends_after_start"),
        CheckConstraint("theme_id IS NOT NULL OR programme_area IS NOT NULL", name="theme_or_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int | None] = foreign_key("themes", ondelete="RESTRICT", index=True)
    # An area of the programme that is not a theme (the local programme, for instance).
    programme_area: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    who_may_apply: Mapped[str] = mapped_column(Text, default="")
    # Whether people may take part without a member (an official, an activist, a researcher).
    individuals_welcome: Mapped[bool] = mapped_column(default=True)
    status: Mapped[CallStatus] = mapped_column(
        enum_column(CallStatus, "call_status"), default=CallStatus.DRAFT, index=True
    )
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    theme: Mapped["Theme | None"] = relationship()  # noqa: F821
    criteria: Mapped[list["CallCriterion"]] = owned(
        by="call", order_by="CallCriterion.position, CallCriterion.id"
    )
    applications: Mapped[list["LeadershipApplication"]] = relationship(
        back_populates="call", order_by="LeadershipApplication.id"
    )

    def __repr__(self) -> str:
        return f"<LeadershipCall {self.id} {self.status}>"


class CallCriterion(Translatable, db.Model):
    """What reviewers score an application on (1 to 5), counted by its weight."""

    __tablename__ = "call_criteria"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = foreign_key("leadership_calls", ondelete="CASCADE", index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(default=1)

    call: Mapped[LeadershipCall] = relationship(back_populates="criteria")


class GroupPerson:
    """Who is in a group: a member (spoken for by its focal points), or an individual
    without one. Each says their sector, country and whether they sit on the Steering
    Committee; an individual's e-mail is never shown, their name only with their consent."""

    member_id: Mapped[int | None] = foreign_key("members", ondelete="RESTRICT", index=True)
    user_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    affiliation: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "person_sector"))
    country: Mapped[str] = mapped_column(String(2))
    on_steering_committee: Mapped[bool] = mapped_column(Boolean, default=False)
    shown_publicly: Mapped[bool] = mapped_column(Boolean, default=False)

    @declared_attr
    def member(cls) -> Mapped["Member | None"]:  # noqa: F821, N805
        return relationship()

    @property
    def is_individual(self) -> bool:
        return self.member_id is None


class LeadershipApplication(db.Model):
    """A group's application to a call: who is in it, a statement per criterion, and what
    it plans to do. Its states mirror a proposal's."""

    __tablename__ = "leadership_applications"
    __table_args__ = (CheckConstraint('"round" >= 1', name="round_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = foreign_key("leadership_calls", ondelete="RESTRICT", index=True)
    created_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL", index=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"),
        default=ApplicationStatus.DRAFT,
        index=True,
    )
    # An administrator may waive the multi-stakeholder rule for this application, saying why.
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    waived_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rises each time the application is submitted again after changes were requested.
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    decision_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    call: Mapped[LeadershipCall] = relationship(back_populates="applications")
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])  # noqa: F821
    people: Mapped[list["ApplicationPerson"]] = owned(
        by="application", order_by="ApplicationPerson.id"
    )
    statements: Mapped[list["CriterionStatement"]] = owned(by="application")
    activities: Mapped[list["PlannedActivity"]] = owned(
        by="application", order_by="PlannedActivity.position, PlannedActivity.id"
    )
    transitions: Mapped[list["ApplicationTransition"]] = owned(
        by="application", order_by="ApplicationTransition.id"
    )
    reviews: Mapped[list["ApplicationReview"]] = owned(
        by="application", order_by="ApplicationReview.id"
    )
    leadership: Mapped["Leadership | None"] = relationship(back_populates="application")

    def __repr__(self) -> str:
        return f"<LeadershipApplication {self.id} {self.status}>"


class ApplicationPerson(GroupPerson, db.Model):
    """A member or an individual in an application's group."""

    __tablename__ = "application_people"
    __table_args__ = (
        UniqueConstraint("application_id", "member_id"),
        CheckConstraint("member_id IS NOT NULL OR name IS NOT NULL", name="member_or_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = foreign_key("leadership_applications", ondelete="CASCADE")
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus, "participant_status"), default=ParticipantStatus.INVITED
    )
    responded_by_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[LeadershipApplication] = relationship(back_populates="people")


class CriterionStatement(db.Model):
    """What the group says about itself on one criterion of the call."""

    __tablename__ = "criterion_statements"
    __table_args__ = (UniqueConstraint("application_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = foreign_key("leadership_applications", ondelete="CASCADE")
    criterion_id: Mapped[int] = foreign_key("call_criteria", ondelete="CASCADE", index=True)
    text: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[LeadershipApplication] = relationship(back_populates="statements")
    criterion: Mapped[CallCriterion] = relationship()


class PlannedActivity(db.Model):
    """An event the group intends to host, or a commitment it will champion, in its term."""

    __tablename__ = "planned_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = foreign_key(
        "leadership_applications", ondelete="CASCADE", index=True
    )
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    planned_for: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(default=0)

    application: Mapped[LeadershipApplication] = relationship(back_populates="activities")


class ApplicationTransition(db.Model):
    """One change of an application's status: who, when, from, to and why. Never edited."""

    __tablename__ = "application_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = foreign_key(
        "leadership_applications", ondelete="CASCADE", index=True
    )
    actor_id: Mapped[int | None] = foreign_key("users", ondelete="SET NULL")
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        enum_column(ApplicationStatus, "from_status")
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "to_status")
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[LeadershipApplication] = relationship(back_populates="transitions")
    actor: Mapped["User | None"] = relationship()  # noqa: F821


class ApplicationReview(db.Model):
    """A reviewer's scores of an application in one round, one per criterion, with a
    comment; revisable until the decision ends the round, then kept as it was."""

    __tablename__ = "application_reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "round", "reviewer_id"),
        CheckConstraint('"round" >= 1', name="round_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = foreign_key("leadership_applications", ondelete="CASCADE")
    reviewer_id: Mapped[int] = foreign_key("users", ondelete="CASCADE", index=True)
    round: Mapped[int] = mapped_column(default=1)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[LeadershipApplication] = relationship(back_populates="reviews")
    reviewer: Mapped["User"] = relationship()  # noqa: F821
    scores: Mapped[list["CriterionScore"]] = owned(by="review", order_by="CriterionScore.id")


class CriterionScore(db.Model):
    __tablename__ = "criterion_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = foreign_key("application_reviews", ondelete="CASCADE")
    criterion_id: Mapped[int] = foreign_key("call_criteria", ondelete="CASCADE", index=True)
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[ApplicationReview] = relationship(back_populates="scores")
    criterion: Mapped[CallCriterion] = relationship()


class Leadership(ShownBySlug, db.Model):
    """A theme's (or a programme area's) leaders for a term: appointed from an application,
    or carried over from before the programme (no call, no term end)."""

    __tablename__ = "leaderships"
    __table_args__ = (
        CheckConstraint(
            "term_ends_on IS NULL OR term_starts_on IS NULL OR term_ends_on > term_starts_on",
            name="term_ends_after_start",
        ),
        CheckConstraint("theme_id IS NOT NULL OR programme_area IS NOT NULL", name="theme_or_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    theme_id: Mapped[int | None] = foreign_key("themes", ondelete="RESTRICT", index=True)
    programme_area: Mapped[str | None] = mapped_column(String(200))
    application_id: Mapped[int | None] = foreign_key(
        "leadership_applications", ondelete="SET NULL", unique=True
    )
    status: Mapped[LeadershipStatus] = mapped_column(
        enum_column(LeadershipStatus, "leadership_status"),
        default=LeadershipStatus.ACTIVE,
        index=True,
    )
    term_starts_on: Mapped[date | None] = mapped_column(Date)
    term_ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The call opened to renew the leadership at the end of its term.
    renewal_call_id: Mapped[int | None] = foreign_key("leadership_calls", ondelete="SET NULL")
    # When the members were told the term is ending, so they are told once.
    ending_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    theme: Mapped["Theme | None"] = relationship()  # noqa: F821
    renewal_call: Mapped[LeadershipCall | None] = relationship()
    application: Mapped[LeadershipApplication | None] = relationship(back_populates="leadership")
    people: Mapped[list["LeadershipPerson"]] = owned(
        by="leadership", order_by="LeadershipPerson.id"
    )


class LeadershipPerson(GroupPerson, db.Model):
    """A member or an individual in a leadership, from the day they joined."""

    __tablename__ = "leadership_people"
    __table_args__ = (
        UniqueConstraint("leadership_id", "member_id"),
        CheckConstraint("member_id IS NOT NULL OR name IS NOT NULL", name="member_or_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    leadership_id: Mapped[int] = foreign_key("leaderships", ondelete="CASCADE")
    joined_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    leadership: Mapped[Leadership] = relationship(back_populates="people")
