"""Registration: seats never oversold, a waiting list that promotes by itself.

What each module does (they import each other, never this package):
  opening      whether registering, or changing one's answers, is still possible
  seats        the event's counters, under the lock on its row (`seats.lock`)
  waiting      the waiting line: a place at its end, promotion in order
  answers      answers to the organisers' questions
  details      what a person tells the organisers, checked; changing it later
  registering  register, confirm the address, cancel, expire: a registration's life
  decisions    organisers' decisions: approve, decline, move from the line, check in
  delegations  a focal point registers several people at once
  links        the signed links in e-mails that confirm or cancel without signing in
  mails        the e-mails to the person registered
  finding      finding registrations for those who may see them
"""

from .answers import MAX_ANSWER, answers_asked, missing_answers, require_answers
from .decisions import approve, cancel_by_organiser, decline, move_from_waitlist, set_check_in
from .delegations import Delegate, register_delegation
from .details import MAX_TEXT, RegistrationInput, update_answers
from .finding import (
    active_registration_of,
    get_registration,
    own_registration,
    registration_of,
    registrations_of_user,
)
from .links import manage_token, registration_by_token
from .mails import CONFIRMATION_HOURS, mail_registrant, remind
from .opening import RegistrationClosed, answers_locked, registration_open
from .registering import (
    cancel,
    cancel_own,
    confirm_email,
    expire_unconfirmed,
    register,
    register_or_remind,
)
from .seats import EventFull, seat_counts_are_consistent
from .waiting import promote_waiting

__all__ = [
    "CONFIRMATION_HOURS",
    "MAX_ANSWER",
    "MAX_TEXT",
    "Delegate",
    "EventFull",
    "RegistrationClosed",
    "RegistrationInput",
    "active_registration_of",
    "answers_asked",
    "answers_locked",
    "approve",
    "cancel",
    "cancel_by_organiser",
    "cancel_own",
    "confirm_email",
    "decline",
    "expire_unconfirmed",
    "get_registration",
    "mail_registrant",
    "manage_token",
    "missing_answers",
    "move_from_waitlist",
    "own_registration",
    "promote_waiting",
    "register",
    "register_delegation",
    "register_or_remind",
    "registration_by_token",
    "registration_of",
    "registration_open",
    "registrations_of_user",
    "remind",
    "require_answers",
    "seat_counts_are_consistent",
    "set_check_in",
    "update_answers",
]
