"""Files of the events app built in one place: a participant's agenda as an .ics calendar and as a PDF.

Text written into the files is cleaned of control characters (``portal/core/text.py``): a stored name with
a line break would otherwise break its content line (and icalendar refuses it). Spreadsheets (the KPI
export) come from ``portal.core.spreadsheets``; PDFs from ``portal.core.pdf``."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event, Participant
from portal.core.pdf import render_pdf
from portal.core.text import multi_line, single_line


def agenda_file_name(*, event: Event, participant: Participant, suffix: str) -> str:
    """``expo-siam-0.ics``, ``expo-siam-0-agenda.pdf``: the event, then the company."""
    return f"{event.slug}-{slugify(participant.company.name_en or str(participant.pk))}{suffix}"


def agenda_ics(*, event: Event, participant: Participant, rows: list[dict], host: str) -> bytes:
    """The agenda (``events.selectors.agenda_for`` rows) as an iCalendar file, one VEVENT per meeting;
    ``host`` makes the UIDs unique across sites."""
    calendar = Calendar()
    calendar.add("prodid", "-//DIP x SMRJ Thai-Japan SME Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", single_line(f"{event.name()} — {participant.company.display_name()}"))
    for row in rows:
        meeting, other = row["meeting"], row["other"]
        item = CalendarEvent()
        item.add("uid", f"meeting-{meeting.pk}@{host}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", meeting.slot.starts_at)
        item.add("dtend", meeting.slot.ends_at)
        summary = _("B2B meeting: %(company)s") % {"company": other.company.display_name()}
        item.add("summary", single_line(summary))
        where = _("Table %(table)s, %(venue)s") % {"table": meeting.table, "venue": event.venue()}
        item.add("location", single_line(where))
        lines = [single_line(reason) for reason in row["reasons"]]
        if meeting.interpreter:
            lines.insert(0, single_line(_("Interpreter: %(name)s") % {"name": meeting.interpreter.name}))
        item.add("description", multi_line("\n".join(lines)))
        calendar.add_component(item)
    return calendar.to_ical()


def agenda_pdf(*, event: Event, participant: Participant, rows: list[dict], request=None) -> bytes:
    """The agenda as a printable PDF (Thai and Japanese fonts from ``portal.core.pdf``)."""
    return render_pdf(
        "events/agenda_pdf.html", {"event": event, "participant": participant, "rows": rows}, request=request
    )
