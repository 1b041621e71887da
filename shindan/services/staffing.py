"""Consultants, their assignments to companies, and the checklist versions diagnoses use."""

import datetime
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role
from portal.accounts.rules import GROUP_FOR_ROLE
from shindan import checklists
from shindan.models import Assignment, Checklist, ChecklistArea, ChecklistItem, ConsultantProfile


def consultant_profile_save(*, user, **fields) -> ConsultantProfile:
    profile, _created = ConsultantProfile.objects.update_or_create(user=user, defaults=fields)
    return profile


def _is_consultant(user) -> bool:
    return user.groups.filter(name=GROUP_FOR_ROLE[Role.CONSULTANT]).exists()


@transaction.atomic
def assignment_create(*, actor, consultant, company, starts_on, ends_on=None, note: str = "") -> Assignment:
    if not _is_consultant(consultant):
        raise ValidationError(_("Only consultants can be assigned to companies."), code="not_a_consultant")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(
            _("The assignment must end on or after the day it starts."), code="ends_before_start"
        )
    overlapping = Assignment.objects.filter(consultant=consultant, company=company).exclude(
        ends_on__lt=starts_on
    )
    if ends_on is not None:
        overlapping = overlapping.exclude(starts_on__gt=ends_on)
    if overlapping.exists():
        raise ValidationError(
            _("This consultant is already assigned to this company for that period."), code="already_assigned"
        )
    return Assignment.objects.create(
        consultant=consultant,
        company=company,
        starts_on=starts_on,
        ends_on=ends_on,
        assigned_by=actor,
        note=note,
    )


def assignment_end(*, actor, assignment: Assignment, on: datetime.date | None = None) -> Assignment:
    day = on or timezone.localdate()
    if day < assignment.starts_on:
        # An assignment that has not started yet is simply withdrawn.
        assignment.delete()
        return assignment
    assignment.ends_on = day
    assignment.save(update_fields=["ends_on", "updated_at"])
    return assignment


def consultant_group() -> Group:
    return Group.objects.get_or_create(name=GROUP_FOR_ROLE[Role.CONSULTANT])[0]


_MODELS = SimpleNamespace(Checklist=Checklist, ChecklistArea=ChecklistArea, ChecklistItem=ChecklistItem)


@transaction.atomic
def checklist_import(*, actor, data: dict) -> Checklist:
    """A new draft version of the checklist ``data["code"]`` (validated first; nothing written on error)."""
    checklists.validate(data)
    latest = Checklist.objects.filter(code=data["code"]).aggregate(Max("version"))["version__max"] or 0
    return checklists.create_checklist(data, models=_MODELS, version=latest + 1, created_by=actor)


def checklist_publish(*, actor, checklist: Checklist) -> Checklist:
    if checklist.is_published:
        raise ValidationError(_("This version is already published."), code="already_published")
    checklist.published_at = timezone.now()
    checklist.save(update_fields=["published_at", "updated_at"])
    return checklist


def checklist_current(code: str = "dip-shindan") -> Checklist | None:
    """The newest published version: new diagnoses use it (older diagnoses keep theirs)."""
    return Checklist.objects.filter(code=code, published_at__isnull=False).order_by("-version").first()
