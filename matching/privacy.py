"""The personal data the matching app holds (registered in portal/privacy/registry.py from apps.py): what a
member said about partners (interest and not-interested reasons) and wrote when asking for an introduction,
what a coordinator noted on introductions, and what a member wrote in their company's report on one."""

from portal.privacy.registry import Person, register


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_interests(user, companies) -> dict:
    from matching.models import Interest

    rows = Interest.objects.filter(actor=user).select_related("company", "partner").order_by("created_at")
    return {
        "interests": [
            {
                "company": row.company.display_name(),
                "partner": row.partner.display_name(),
                "interested": row.interested,
                "reason": row.reason,
                "at": _iso(row.updated_at),
            }
            for row in rows
        ]
    }


def _erase_interests(person: Person) -> dict:
    """The choice stays (the pair is never proposed again); the reason they wrote goes."""
    from matching.models import Interest

    written = Interest.objects.filter(actor=person.user).exclude(reason="")
    return {"interest_reasons": written.update(reason="")}


def _export_introductions(user, companies) -> dict:
    from matching.models import Introduction

    both = Introduction.objects.select_related("thai_company", "japanese_company")
    requested, introduced = both.filter(requested_by=user), both.filter(coordinator=user)
    return {
        "introduction_requests": [
            {
                "companies": f"{row.thai_company.display_name()} × {row.japanese_company.display_name()}",
                "message": row.message,
                "stage": row.stage,
                "at": _iso(row.created_at),
            }
            for row in requested
        ],
        "introductions_made": [
            {
                "companies": f"{row.thai_company.display_name()} × {row.japanese_company.display_name()}",
                "note": row.note,
                "introduced_at": _iso(row.introduced_at),
            }
            for row in introduced
        ],
    }


def _erase_introductions(person: Person) -> dict:
    """The message they wrote goes; the introduction stays for the two companies. A coordinator's note
    stays for the pipeline, with the coordinator's name, e-mail and phone replaced."""
    from matching.models import Introduction

    mine = Introduction.objects.filter(requested_by=person.user).exclude(message="")
    return {
        "introduction_messages": mine.update(message=""),
        "introduction_notes": person.scrub_rows(Introduction.objects.filter(coordinator=person.user), "note"),
    }


def _export_introduction_reports(user, companies) -> dict:
    from matching.models import IntroductionReport

    rows = IntroductionReport.objects.filter(reported_by=user).select_related(
        "company", "introduction__thai_company", "introduction__japanese_company"
    )
    return {
        "introduction_reports": [
            {
                "companies": f"{row.introduction.thai_company.display_name()} × "
                f"{row.introduction.japanese_company.display_name()}",
                "company": row.company.display_name(),
                "outcome": row.outcome,
                "rating": row.rating,
                "note": row.note,
                "at": _iso(row.updated_at),
            }
            for row in rows
        ]
    }


def _erase_introduction_reports(person: Person) -> dict:
    """The report stays for the company and the coordinators (it is the company's); what the person
    wrote in its note loses their name, e-mail and phones."""
    from matching.models import IntroductionReport

    written = IntroductionReport.objects.filter(reported_by=person.user).exclude(note="")
    return {"introduction_report_notes": person.scrub_rows(written, "note")}


def register_personal_data() -> None:
    register("matching.Interest", fields=("actor",), export=_export_interests, erase=_erase_interests)
    register(
        "matching.Introduction",
        fields=("requested_by", "coordinator"),
        export=_export_introductions,
        erase=_erase_introductions,
    )
    register(
        "matching.IntroductionReport",
        fields=("reported_by",),
        export=_export_introduction_reports,
        erase=_erase_introduction_reports,
    )
