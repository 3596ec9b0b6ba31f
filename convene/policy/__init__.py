"""Who may do what: every "may this person do this to this object" question, in one place.

Each area's rules are in a module of their own, in three shapes:

- `can_<action>(user, object) -> bool`: the yes or no that pages, templates (through the
  `policy` Jinja global) and the API ask;
- `require_<action>(user, object)`: the same rule, raising services' PermissionDenied with
  the reason people see; services call it before they change anything;
- `<action>_refusal(user, object) -> str | None`: where a page shows why not (reviews,
  decisions, assessments); the `can_` and `require_` of that action are built on it.

Lists ask the same rule in SQL (`visible_events`, `visible_proposals`). A service that hides
what someone may not see raises NotFound itself, so that an id reveals nothing.

`user` may be a User, Flask-Login's anonymous visitor, None, or SYSTEM (the command line,
which may do anything). Policy reads models and makes small queries; it changes nothing
and imports no service module, so every service can import it.
"""

import sys

from flask import Flask

from .events import (
    PUBLIC_STATUSES,
    can_keep_agenda,
    can_manage_event,
    can_see_event,
    can_see_online_link,
    online_link_event_ids,
    require_keep_agenda,
    require_manage_event,
    visible_events,
)
from .followup import (
    assessment_refusal,
    can_add_commitment,
    can_approve_commitment,
    can_assess,
    can_report_progress,
    can_see_commitment,
    hosts_spoken_for,
    require_add_commitment,
    require_approve_commitment,
    require_assess,
    require_report_progress,
)
from .people import (
    SYSTEM,
    Actor,
    actor_id,
    can_administer,
    can_create_api_token,
    can_delete_account,
    can_revoke_api_token,
    is_signed_in,
    member_ids_of,
    require_administer,
    require_create_api_token,
    require_delete_account,
)
from .proposals import (
    REVIEWABLE,
    active_host_ids,
    can_answer_invitation,
    can_decide,
    can_edit_proposal,
    can_propose,
    can_propose_for,
    can_review,
    can_see_review_queue,
    can_see_reviews,
    can_view_proposal,
    can_waive_cocreation,
    can_withdraw_proposal,
    conflict_of_interest,
    decision_refusal,
    is_proposer,
    is_reviewer,
    leads_a_theme_of,
    led_theme_ids,
    require_answer_invitation,
    require_decide,
    require_edit_proposal,
    require_propose_for,
    require_see_review_queue,
    require_waive_cocreation,
    require_withdraw_proposal,
    review_refusal,
    reviewable_theme_ids,
    visible_proposals,
    with_ancestors,
)
from .registrations import (
    can_register_delegation,
    can_see_registration,
    owns_registration,
    require_register_delegation,
)


def init_app(app: Flask) -> None:
    """Templates ask the same rules: `{% if policy.can_manage_event(current_user, event) %}`."""
    app.jinja_env.globals["policy"] = sys.modules[__name__]


__all__ = [
    "init_app",
    "PUBLIC_STATUSES",
    "can_keep_agenda",
    "can_manage_event",
    "can_see_event",
    "can_see_online_link",
    "online_link_event_ids",
    "require_keep_agenda",
    "require_manage_event",
    "visible_events",
    "assessment_refusal",
    "can_add_commitment",
    "can_approve_commitment",
    "can_assess",
    "can_report_progress",
    "can_see_commitment",
    "hosts_spoken_for",
    "require_add_commitment",
    "require_approve_commitment",
    "require_assess",
    "require_report_progress",
    "SYSTEM",
    "Actor",
    "actor_id",
    "can_administer",
    "can_create_api_token",
    "can_delete_account",
    "can_revoke_api_token",
    "is_signed_in",
    "member_ids_of",
    "require_administer",
    "require_create_api_token",
    "require_delete_account",
    "REVIEWABLE",
    "active_host_ids",
    "can_answer_invitation",
    "can_decide",
    "can_edit_proposal",
    "can_propose",
    "can_propose_for",
    "can_review",
    "can_see_review_queue",
    "can_see_reviews",
    "can_view_proposal",
    "can_waive_cocreation",
    "can_withdraw_proposal",
    "conflict_of_interest",
    "decision_refusal",
    "is_proposer",
    "is_reviewer",
    "leads_a_theme_of",
    "led_theme_ids",
    "require_answer_invitation",
    "require_decide",
    "require_edit_proposal",
    "require_propose_for",
    "require_see_review_queue",
    "require_waive_cocreation",
    "require_withdraw_proposal",
    "review_refusal",
    "reviewable_theme_ids",
    "visible_proposals",
    "with_ancestors",
    "can_register_delegation",
    "can_see_registration",
    "owns_registration",
    "require_register_delegation",
]
