"""The personal data the Shindan app holds (registered in portal/privacy/registry.py from apps.py): a
consultant's profile, assignments, and the diagnoses they worked on with the notes they wrote, and the
people interviewed during site visits.

A diagnosis keeps its scores and history when a consultant deletes their account (the company needs its
report): the rows point at the anonymised account, and the notes the consultant wrote (and their history
entries) keep their content with the consultant's name, e-mail and phone replaced by "(erased)"."""

from django.utils.translation import gettext

from portal.privacy.registry import Found, Person, found, register, rows_named


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _diagnosis(row) -> str:
    return f"{row.company.display_name()} #{row.pk}"


def _export_profile(user, companies) -> dict:
    from shindan.models import ConsultantProfile

    profile = ConsultantProfile.objects.filter(user=user).first()
    if profile is None:
        return {"consultant_profile": {}}
    return {
        "consultant_profile": {
            "qualification": profile.qualification,
            "registration_no": profile.registration_no,
            "valid_until": _iso(profile.valid_until),
            "languages": profile.languages,
            "organisation": profile.organisation,
        }
    }


def _erase_profile(person: Person) -> dict:
    from shindan.models import ConsultantProfile

    return {"consultant_profile": ConsultantProfile.objects.filter(user=person.user).delete()[0]}


def _export_assignments(user, companies) -> dict:
    from django.db.models import Q

    from shindan.models import Assignment

    rows = Assignment.objects.filter(Q(consultant=user) | Q(assigned_by=user)).select_related("company")
    return {
        "shindan_assignments": [
            {
                "company": row.company.display_name(),
                "consultant": row.consultant_id == user.pk,
                "from": _iso(row.starts_on),
                "until": _iso(row.ends_on),
                "note": row.note if row.assigned_by_id == user.pk else "",
            }
            for row in rows
        ]
    }


def _erase_assignments(person: Person) -> dict:
    from shindan.models import Assignment

    return {"assignment_notes": person.scrub_rows(Assignment.objects.filter(assigned_by=person.user), "note")}


def _export_checklists(user, companies) -> dict:
    from shindan.models import Checklist

    return {
        "checklists_created": [
            {"code": row.code, "version": row.version} for row in Checklist.objects.filter(created_by=user)
        ]
    }


def _export_diagnoses(user, companies) -> dict:
    from django.db.models import Q

    from shindan.models import Diagnosis

    rows = Diagnosis.objects.filter(Q(consultants=user) | Q(created_by=user)).select_related("company")
    return {
        "diagnoses_worked_on": [
            {"diagnosis": _diagnosis(row), "stage": row.stage, "requested_on": _iso(row.requested_on)}
            for row in rows.distinct()
        ]
    }


def _export_stage_changes(user, companies) -> dict:
    from shindan.models import StageChange

    return {
        "diagnosis_stage_changes": [
            {"diagnosis": _diagnosis(row.diagnosis), "to": row.to_stage, "note": row.note, "at": _iso(row.at)}
            for row in StageChange.objects.filter(by=user).select_related("diagnosis__company")
        ]
    }


def _erase_stage_changes(person: Person) -> dict:
    from shindan.models import StageChange

    return {"stage_change_notes": person.scrub_rows(StageChange.objects.filter(by=person.user), "note")}


def _export_revisions(user, companies) -> dict:
    from shindan.models import Revision

    return {
        "diagnosis_revisions": [
            {"diagnosis": _diagnosis(row.diagnosis), "number": row.number, "reason": row.reason}
            for row in Revision.objects.filter(created_by=user).select_related("diagnosis__company")
        ]
    }


def _erase_revisions(person: Person) -> dict:
    from shindan.models import Revision

    return {"revision_reasons": person.scrub_rows(Revision.objects.filter(created_by=person.user), "reason")}


def _export_changes(user, companies) -> dict:
    from shindan.models import Change

    return {
        "diagnosis_changes": [
            {
                "diagnosis": _diagnosis(row.diagnosis),
                "kind": row.kind,
                "target": row.target,
                "at": _iso(row.at),
            }
            for row in Change.objects.filter(actor=user).select_related("diagnosis__company")
        ]
    }


def _erase_changes(person: Person) -> dict:
    """The history keeps what changed; the person's name, e-mail and phone in what they wrote go."""
    from shindan.models import Change

    mine = Change.objects.filter(actor=person.user)
    return {"history_entries": person.scrub_rows(mine, "before") + person.scrub_rows(mine, "after")}


def _export_follow_ups(user, companies) -> dict:
    from shindan.models import FollowUpVisit

    visits = FollowUpVisit.objects.filter(consultant=user).select_related("diagnosis__company")
    return {
        "follow_up_visits": [
            {"diagnosis": _diagnosis(row.diagnosis), "visited_on": _iso(row.visited_on), "notes": row.notes}
            for row in visits
        ]
    }


def _export_action_updates(user, companies) -> dict:
    from shindan.models import ActionUpdate

    return {
        "action_updates": [
            {"action": str(row.action), "status": row.status, "note": row.note, "at": _iso(row.at)}
            for row in ActionUpdate.objects.filter(by=user).select_related("action")
        ]
    }


def _erase_follow_up_visits(person: Person) -> dict:
    from shindan.models import FollowUpVisit

    visits = FollowUpVisit.objects.filter(consultant=person.user)
    return {"follow_up_notes": person.scrub_rows(visits, "notes")}


def _erase_action_updates(person: Person) -> dict:
    from shindan.models import ActionUpdate

    return {"action_update_notes": person.scrub_rows(ActionUpdate.objects.filter(by=person.user), "note")}


def _export_interviewees(user, companies) -> dict:
    from shindan.models import Interviewee

    name = user.get_full_name().strip()
    rows = Interviewee.objects.none()
    if name:
        rows = Interviewee.objects.filter(diagnosis__company__in=companies, name=name)
    return {
        "interviewed": [
            {"diagnosis": _diagnosis(row.diagnosis), "position": row.position}
            for row in rows.select_related("diagnosis__company")
        ]
    }


def _forget_interviewee(person: Person, rows) -> dict:
    """A diagnosis keeps who was interviewed by position, not by name; its history of the list too."""
    from shindan.models import Change

    diagnoses = list(rows.values_list("diagnosis_id", flat=True).distinct())
    erased = rows.update(name="")
    history = Change.objects.filter(diagnosis__in=diagnoses, kind="interviewees")
    person.scrub_rows(history, "before")
    person.scrub_rows(history, "after")
    return {"interviewees": erased}


def _erase_interviewees(person: Person) -> dict:
    from shindan.models import Interviewee

    if not person.name:
        return {"interviewees": 0}
    rows = Interviewee.objects.filter(diagnosis__company__in=person.companies, name=person.name)
    return _forget_interviewee(person, rows)


def _erase_interviewee_person(name: str, email: str, places=None) -> dict:
    from shindan.models import Interviewee

    if not name:
        return {"interviewees": 0}
    rows = rows_named(Interviewee.objects, name, places, at="diagnosis__company_id")
    return _forget_interviewee(Person.without_account(name, email), rows)


def _find_interviewee_person(name: str, email: str) -> list[Found]:
    from shindan.models import Interviewee

    if not name:
        return []
    rows = rows_named(Interviewee.objects, name, at="diagnosis__company_id")
    return found(
        rows.select_related("diagnosis__company"),
        what=gettext("interviewee of a diagnosis"),
        place=lambda row: row.diagnosis.company,
    )


KEPT = "a diagnosis keeps its scores and history for the company; the rows point at the anonymised account"


def register_personal_data() -> None:
    register("shindan.ConsultantProfile", fields=("user",), export=_export_profile, erase=_erase_profile)
    register(
        "shindan.Assignment",
        fields=("consultant", "assigned_by"),
        export=_export_assignments,
        erase=_erase_assignments,
    )
    register("shindan.Checklist", fields=("created_by",), export=_export_checklists, kept=KEPT)
    register("shindan.Diagnosis", fields=("created_by", "consultants"), export=_export_diagnoses, kept=KEPT)
    register("shindan.StageChange", fields=("by",), export=_export_stage_changes, erase=_erase_stage_changes)
    register("shindan.Revision", fields=("created_by",), export=_export_revisions, erase=_erase_revisions)
    register("shindan.Change", fields=("actor",), export=_export_changes, erase=_erase_changes)
    register(
        "shindan.FollowUpVisit",
        fields=("consultant",),
        export=_export_follow_ups,
        erase=_erase_follow_up_visits,
    )
    register(
        "shindan.ActionUpdate", fields=("by",), export=_export_action_updates, erase=_erase_action_updates
    )
    register(
        "shindan.Interviewee",
        fields=("name",),
        export=_export_interviewees,
        erase=_erase_interviewees,
        erase_person=_erase_interviewee_person,
        find_person=_find_interviewee_person,
    )
