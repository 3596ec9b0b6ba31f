"""Strict RFC 5545 checks of the calendars convene writes, by other people's parsers.

Each calendar is opened by every library below; any error, any warning it records and any
disagreement on the entries shown fails the check:
- libical (C; Evolution, KDE and many servers): its parser and its RFC 5545/5546
  restriction checks (how many of each property a component may hold, per METHOD),
  the strictest available here;
- vobject (CalDAV servers such as Radicale) with validation on;
- ical (Home Assistant's pydantic parser), which refuses values outside the RFC's;
- icalendar, the library convene writes with, reading back;
- ical.js (Mozilla, Thunderbird's parser) and node-ical, through node (tests/ical_clients.js).

No library here checks that a VCALENDAR holds at least one component (RFC 5545 §3.6), nor
that every TZID has its VTIMEZONE (§3.2.19): `rules()` checks those itself.
"""

import ctypes
import ctypes.util
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream

from .conftest import unavailable

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = Path(__file__).with_name("ical_clients.js")


@dataclass
class Report:
    """What the libraries found in one calendar: problems, and the UIDs of its entries."""

    problems: list[str] = field(default_factory=list)
    uids: list[str] = field(default_factory=list)


def rules(text: str) -> list[str]:
    """The RFC 5545 rules no library here checks."""
    found = []
    lines = text.split("\r\n")
    if lines[-1] != "" or "\n" in text.replace("\r\n", ""):
        found.append("lines must end in CRLF (§3.1)")
    found += [
        f"line longer than 75 octets (§3.1): {ln[:40]}" for ln in lines if len(ln.encode()) > 75
    ]
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    names = re.findall(r"^BEGIN:(\w[\w-]*)", unfolded, re.MULTILINE)
    if names[:1] != ["VCALENDAR"] or names.count("VCALENDAR") != 1:
        found.append("one VCALENDAR object expected")
    depth, children = 0, 0
    for line in unfolded.split("\r\n"):
        if line.startswith("BEGIN:"):
            depth += 1
            children += depth == 2
        elif line.startswith("END:"):
            depth -= 1
    if children == 0:
        found.append("a VCALENDAR must hold at least one component (§3.6)")
    zones = set(re.findall(r"^TZID:([^\r\n]+)", unfolded, re.MULTILINE))
    used = set(re.findall(r";TZID=([^;:]+)", unfolded))
    found += [f"TZID {tz} has no VTIMEZONE (§3.2.19)" for tz in sorted(used - zones)]
    return found


@cache
def _libical():
    name = ctypes.util.find_library("ical")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.icalparser_parse_string.restype = ctypes.c_void_p
    lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
    lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_as_ical_string.restype = ctypes.c_char_p
    lib.icalcomponent_as_ical_string.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
    return lib


def with_libical(text: str) -> list[str]:
    lib = _libical()
    if lib is None:
        unavailable("needs libical (Debian: libical3) to validate calendars")
    component = lib.icalparser_parse_string(text.encode())
    if not component:
        return ["libical: not a calendar"]
    try:
        lib.icalrestriction_check(component)
        written = lib.icalcomponent_as_ical_string(component).decode()
    finally:
        lib.icalcomponent_free(component)
    # libical records each problem it finds as an X-LIC-ERROR property.
    unfolded = re.sub(r"\r?\n[ \t]", "", written)
    return [f"libical: {m}" for m in re.findall(r"^X-LIC-ERROR[^:]*:(.*)$", unfolded, re.M)]


def with_python(text: str) -> tuple[list[str], list[str]]:
    """Problems found by icalendar, vobject and ical; the UIDs icalendar reads."""
    found, uids = [], []
    try:
        calendar = icalendar.Calendar.from_ical(text)
        uids = [str(item["uid"]) for item in calendar.walk("VEVENT")]
        found += [f"icalendar: {e}" for c in calendar.walk() for e in c.errors]
    except ValueError as error:
        found.append(f"icalendar: {error}")
    try:
        objects = list(vobject.readComponents(text, validate=True))
        if len(objects) != 1:
            found.append(f"vobject: {len(objects)} objects")
    except Exception as error:  # vobject raises several kinds, none shared
        found.append(f"vobject: {error}")
    try:
        parsed = IcsCalendarStream.calendar_from_ics(text)
        if len(parsed.events) != len(uids):
            found.append(f"ical: {len(parsed.events)} entries, not {len(uids)}")
    except Exception as error:  # ical's CalendarParseError and pydantic's errors
        found.append(f"ical: {error}")
    return found, uids


def with_node(texts: list[str]) -> list[dict]:
    node = shutil.which("node")
    modules = ROOT / "node_modules"
    if node is None or not all((modules / name).is_dir() for name in ("ical.js", "node-ical")):
        unavailable("needs node and `npm ci` (ical.js, node-ical) to open calendars")
    done = subprocess.run(  # noqa: S603 # our own script, on our own texts
        [node, str(CLIENTS)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def validate(bodies: list[bytes | str]) -> list[Report]:
    """A report for each calendar: every library's problems, and its entries' UIDs."""
    texts = [b.decode() if isinstance(b, bytes) else b for b in bodies]
    clients = with_node(texts)
    reports = []
    for text, seen in zip(texts, clients, strict=True):
        found, uids = with_python(text)
        found = rules(text) + with_libical(text) + found
        for name, result in seen.items():
            if not result["ok"]:
                found.append(f"{name}: {result['error']}")
            elif sorted(e["uid"] for e in result["entries"]) != sorted(uids):
                found.append(f"{name}: shows {len(result['entries'])} entries, not {len(uids)}")
        reports.append(Report(found, uids))
    return reports


def assert_valid(named: dict[str, bytes | str]) -> dict[str, Report]:
    """Every calendar of `named` (what it is: its text) passes every check."""
    reports = dict(zip(named, validate(list(named.values())), strict=True))
    failures = {name: r.problems for name, r in reports.items() if r.problems}
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
    return reports
