// Opens iCalendar texts with two JavaScript calendar libraries, as clients would:
// Mozilla's ical.js (Thunderbird's parser) and node-ical. Reads a JSON list of texts on
// stdin; writes, for each, what each library saw: its entries, or the error it raised.
"use strict";
const ICAL = require("ical.js");
const nodeIcal = require("node-ical");

function withIcalJs(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== "vcalendar") throw new Error(`not a VCALENDAR: ${calendar.name}`);
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const entries = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    // Reading the start and end in UTC resolves the TZID as a client showing it would.
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
    };
  });
  return { entries, components: calendar.getAllSubcomponents().length };
}

function withNodeIcal(text) {
  const parsed = nodeIcal.sync.parseICS(text);
  const entries = Object.values(parsed)
    .filter((item) => item.type === "VEVENT")
    .map((item) => ({ uid: item.uid, start: new Date(item.start).toISOString() }));
  return { entries };
}

function attempt(fn, text) {
  try {
    return { ok: true, ...fn(text) };
  } catch (error) {
    return { ok: false, error: String(error && error.message ? error.message : error) };
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map((text) => ({
    "ical.js": attempt(withIcalJs, text),
    "node-ical": attempt(withNodeIcal, text),
  }));
  process.stdout.write(JSON.stringify(results));
});
