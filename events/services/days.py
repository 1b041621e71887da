"""Events and their meeting days: an event's details, and the slots of each day (back to back, around
the breaks)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.models import (
    Event,
    MeetingDay,
    Slot,
)
from portal.core.templatetags.portal import localdate  # B.E. years in Thai, as the pages write them

# --- Events ------------------------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event | None = None, industries=None, **fields) -> Event:
    """Create an event or change its details (``fields`` as validated by ``events.forms.EventForm``);
    ``industries`` replaces the focus industries when given. Meeting days are saved apart."""
    event = event or Event()
    for name, value in fields.items():
        setattr(event, name, value)
    if event.pk is not None and event.starts_on and event.ends_on:
        # Its meeting days stay within its dates: move or change them first (the manage page).
        outside = event.days.exclude(date__range=(event.starts_on, event.ends_on)).order_by("date").first()
        if outside is not None:
            field = "starts_on" if outside.date < event.starts_on else "ends_on"
            message = _("The event has a meeting day on %(date)s: its dates must include it.") % {
                "date": localdate(outside.date)
            }
            # On the date that leaves the day out (the edit form shows it there).
            refusal = ValidationError(message, code="day_outside_event")
            raise ValidationError({field: [refusal]}, code="day_outside_event")
    event.save()
    if industries is not None:
        event.industries.set(industries)
    return event


# --- Days and slots ----------------------------------------------------------------------------------


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def day_slot_times(day: MeetingDay) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The slots of a meeting day in the event's time zone: back to back from the start, skipping any slot
    that overlaps a break, none running past the end."""
    tz = day.event.tz
    start = day.starts_at.hour * 60 + day.starts_at.minute
    end = day.ends_at.hour * 60 + day.ends_at.minute
    breaks = [(_minutes(a), _minutes(b)) for a, b in day.breaks]
    result = []
    minute = start
    while minute + day.slot_minutes <= end:
        slot_end = minute + day.slot_minutes
        clash = next((b for b in breaks if minute < b[1] and slot_end > b[0]), None)
        if clash:
            minute = max(minute + day.slot_minutes, clash[1]) if clash[1] > minute else slot_end
            continue
        begins = datetime.datetime.combine(day.date, datetime.time(minute // 60, minute % 60), tz)
        result.append((begins, begins + datetime.timedelta(minutes=day.slot_minutes)))
        minute = slot_end
    return result


def validate_breaks(breaks) -> list[list[str]]:
    try:
        cleaned = [[str(a), str(b)] for a, b in breaks]
        if any(_minutes(a) >= _minutes(b) for a, b in cleaned):
            raise ValueError
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _('Breaks are pairs of times, e.g. [["12:00", "13:00"]].'), code="invalid_breaks"
        ) from error
    return cleaned


@transaction.atomic
def meeting_day_save(*, event: Event, day: MeetingDay | None = None, **fields) -> MeetingDay:
    """Create or change a meeting day and (re)generate its slots; slots with meetings are kept.

    An event has one meeting day per date: without ``day``, a date the event already has changes that day
    (the manage page's form adds or changes by date); moving ``day`` onto another day's date is refused."""
    fields["breaks"] = validate_breaks(fields.get("breaks", []))
    if not event.starts_on <= fields["date"] <= event.ends_on:
        raise ValidationError(_("A meeting day must be within the event's dates."), code="day_outside_event")
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValidationError(_("A meeting day must end after it starts."), code="day_ends_before_start")
    opens, closes = (fields[name].hour * 60 + fields[name].minute for name in ("starts_at", "ends_at"))
    outside = next(((a, b) for a, b in fields["breaks"] if _minutes(a) < opens or _minutes(b) > closes), None)
    if outside is not None:
        raise ValidationError(
            _("The break %(start)s–%(end)s is outside the day's hours: breaks fall within them.")
            % {"start": outside[0], "end": outside[1]},
            code="break_outside_day",
        )
    if fields["slot_minutes"] < 10:
        raise ValidationError(_("Slots are at least 10 minutes long."), code="slot_too_short")
    same_date = event.days.filter(date=fields["date"]).exclude(pk=day.pk if day else None).first()
    if same_date is not None and day is not None:
        raise ValidationError(
            _("The event already has a meeting day on %(date)s.") % {"date": localdate(fields["date"])},
            code="day_taken",
        )
    moved = day is not None and day.pk is not None and fields["date"] != day.date
    if moved and day.slots.filter(meetings__isnull=False).exists():
        # Its meetings are published at their times on this date: a new date would leave them behind.
        raise ValidationError(
            _("Meetings are scheduled on this day: its date cannot change. Add a meeting day instead."),
            code="day_has_meetings",
        )
    day = day or same_date or MeetingDay(event=event)
    for name, value in fields.items():
        setattr(day, name, value)
    wanted = day_slot_times(day)
    if not wanted:
        raise ValidationError(
            _("No meeting slot fits in this day: make the day longer or the slots shorter."),
            code="no_slot_fits",
        )
    day.save()
    existing = {slot.starts_at: slot for slot in day.slots.all()}
    keep = {begins for begins, _ends in wanted}
    for begins, slot in existing.items():
        if begins not in keep and not slot.meetings.exists():
            slot.delete()
    Slot.objects.bulk_create(
        [Slot(day=day, event=event, starts_at=b, ends_at=e) for b, e in wanted if b not in existing]
    )
    return day


@transaction.atomic
def meeting_day_remove(*, event: Event, pk: int) -> MeetingDay:
    """Remove one of the event's meeting days with its slots; a day whose slots hold published meetings is
    kept (``day_has_meetings``: they would lose their times). Returns the removed day (its date, for the
    caller's message)."""
    day = event.days.select_for_update().filter(pk=pk).first()
    if day is None:
        raise ValidationError(_("This meeting day is not one of the event's."), code="no_such_day")
    if day.slots.filter(meetings__isnull=False).exists():
        raise ValidationError(
            _("Meetings are published on %(date)s: that day cannot be removed.")
            % {"date": localdate(day.date)},
            code="day_has_meetings",
        )
    day.delete()
    return day
