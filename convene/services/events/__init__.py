"""Events: created from accepted proposals, run by their hosts' focal points.

What each module does (they import each other, never this package):
  finding     an event for those who may see it; lists by filter, organiser or date
  checks      an event's details as typed, checked field by field
  details     events made (from a proposal or by an administrator) and changed
  settings    registration settings: dates, capacity, waiting list, approval, quotas
  questions   the questions an event asks the people who register
  organisers  who organises an event
  lifecycle   draft, published, cancelled, completed; telling everyone registered
  images      the event's image
"""

from ..validation import check_web_address
from .checks import EventInput, check_themes
from .details import create_event, create_event_from_proposal, unique_event_slug, update_event
from .finding import (
    EventFilters,
    events_of_organiser,
    events_query,
    get_event,
    get_event_by_id,
    upcoming_events,
)
from .images import (
    MAX_IMAGE_BYTES,
    delete_image_file,
    image_content_type,
    image_kind,
    store_event_image,
    upload_folder,
)
from .lifecycle import cancel_event, complete, complete_ended, publish
from .organisers import add_organiser, remove_organiser
from .questions import QuestionInput, save_questions
from .settings import RegistrationSettings, update_registration_settings

__all__ = [
    "MAX_IMAGE_BYTES",
    "EventFilters",
    "EventInput",
    "QuestionInput",
    "RegistrationSettings",
    "add_organiser",
    "cancel_event",
    "check_themes",
    "check_web_address",
    "complete",
    "complete_ended",
    "create_event",
    "create_event_from_proposal",
    "delete_image_file",
    "events_of_organiser",
    "events_query",
    "get_event",
    "get_event_by_id",
    "image_content_type",
    "image_kind",
    "publish",
    "remove_organiser",
    "save_questions",
    "store_event_image",
    "unique_event_slug",
    "update_event",
    "update_registration_settings",
    "upcoming_events",
    "upload_folder",
]
