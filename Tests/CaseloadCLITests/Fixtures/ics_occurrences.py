#!/usr/bin/env python3
"""Independent check of Caseload's iCalendar export.

Usage: ics_occurrences.py FILE.ics FIRST LAST   (dates as YYYY-MM-DD, inclusive)

Parses FILE with the `icalendar` package, expands every event's occurrences whose
local start date falls in FIRST..LAST (RRULE with python-dateutil, minus EXDATE,
with RECURRENCE-ID overrides applied), and prints one line per occurrence,
sorted: `YYYY-MM-DDTHH:MM,title` (local wall-clock time in the event's zone).

It also checks that the file's VTIMEZONE gives the same UTC offset as the IANA
zone of the same name at every occurrence.

Exit status: 0 ok, 2 bad file or arguments, 3 icalendar missing (run .ci/run).
"""
import sys
from datetime import date, datetime, timedelta

try:
    import icalendar
    from dateutil.rrule import rrulestr
except ImportError as error:
    print(f"ics_occurrences.py: {error}; run .ci/run (it installs Python's icalendar)", file=sys.stderr)
    sys.exit(3)


def fail(message):
    print(f"ics_occurrences.py: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 4:
        fail("usage: ics_occurrences.py FILE.ics FIRST LAST")
    path, first, last = sys.argv[1], date.fromisoformat(sys.argv[2]), date.fromisoformat(sys.argv[3])
    with open(path, "rb") as handle:
        raw = handle.read()
    if b"\r\n" not in raw or raw.replace(b"\r\n", b"").find(b"\n") >= 0:
        fail("lines must end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 75:
            fail(f"line {number} is {len(line)} octets long (more than 75)")
        line.decode("utf-8")  # each folded piece is valid UTF-8 on its own: no character was split
    calendar = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    for required in ("VERSION", "PRODID"):
        if required not in calendar:
            fail(f"VCALENDAR has no {required}")

    vtimezones = {str(tz["TZID"]): tz.to_tz() for tz in calendar.walk("VTIMEZONE")}

    masters = {}
    overrides = {}
    singles = []
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if required not in event:
                fail(f"VEVENT without {required}")
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            overrides.setdefault(uid, []).append(event)
        elif "RRULE" in event:
            if uid in masters:
                fail(f"two recurring events with UID {uid}")
            masters[uid] = event
        else:
            singles.append(event)

    def within(start):
        return first <= start.date() <= last

    occurrences = []  # (start, title)
    for uid, event in masters.items():
        start = event["DTSTART"].dt
        if not isinstance(start, datetime) or start.tzinfo is None:
            fail(f"{uid}: DTSTART must be a date-time with a TZID")
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        excluded = set()
        for exdate in event.get("EXDATE", []) if isinstance(event.get("EXDATE"), list) else [event.get("EXDATE")] if event.get("EXDATE") else []:
            for value in exdate.dts:
                excluded.add(value.dt)
        moved = {override["RECURRENCE-ID"].dt for override in overrides.get(uid, [])}
        low = datetime.combine(first - timedelta(days=2), datetime.min.time(), start.tzinfo)
        high = datetime.combine(last + timedelta(days=2), datetime.min.time(), start.tzinfo)
        for occurrence in rule.between(low, high, inc=True):
            if occurrence in excluded or occurrence in moved or not within(occurrence):
                continue
            occurrences.append((occurrence, str(event["SUMMARY"])))
    for uid, items in overrides.items():
        if uid not in masters:
            fail(f"RECURRENCE-ID for {uid}, which has no recurring event")
        master = masters[uid]
        rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=master["DTSTART"].dt)
        for override in items:
            original = override["RECURRENCE-ID"].dt
            if original not in rule.between(original - timedelta(minutes=1), original + timedelta(minutes=1), inc=True):
                fail(f"{uid}: RECURRENCE-ID {original} is not an occurrence of the rule")
            start = override["DTSTART"].dt
            if within(start):
                occurrences.append((start, str(override["SUMMARY"])))
    for event in singles:
        start = event["DTSTART"].dt
        if within(start):
            occurrences.append((start, str(event["SUMMARY"])))

    lines = []
    for start, title in occurrences:
        tzid = getattr(start.tzinfo, "key", None) or str(start.tzinfo)
        if tzid in vtimezones:
            naive = start.replace(tzinfo=None)
            expected = start.utcoffset()
            got = naive.replace(tzinfo=vtimezones[tzid]).utcoffset()
            if expected != got:
                fail(f"VTIMEZONE {tzid} gives offset {got} at {naive}, the zone database {expected}")
        elif vtimezones:
            fail(f"occurrence at {start} uses zone {tzid}, which has no VTIMEZONE")
        lines.append(f"{start.strftime('%Y-%m-%dT%H:%M')},{title}")
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main()
