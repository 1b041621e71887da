"""Shindan predicates: who sees and changes diagnoses, reports, assignments and checklists.

- Coordinators and admins (DIP/SMRJ staff) see every diagnosis and report; they manage assignments and
  checklists but do not score (that is the consultant's work).
- A consultant works on a company only while assigned to it, and keeps read access to the diagnoses they
  took part in.
- A company's members see its reports once the diagnosis is reported; nobody else does.
"""

import rules

from portal.accounts.rules import is_admin, is_consultant, is_coordinator_or_admin
from portal.companies.rules import is_company_member, register_contact_grant
from shindan.models import REPORT_STAGES, Assignment


def _assigned(user, company) -> bool:
    if not user.is_authenticated or company is None:
        return False
    cache = user.__dict__.setdefault("_shindan_assigned", {})
    if company.pk not in cache:
        cache[company.pk] = Assignment.objects.active().filter(consultant=user, company=company).exists()
    return cache[company.pk]


def _on_diagnosis(user, diagnosis) -> bool:
    if not user.is_authenticated or diagnosis is None:
        return False
    cache = user.__dict__.setdefault("_shindan_on_diagnosis", {})
    if diagnosis.pk not in cache:
        cache[diagnosis.pk] = diagnosis.consultants.filter(pk=user.pk).exists()
    return cache[diagnosis.pk]


@rules.predicate
def is_assigned_to_company(user, company) -> bool:
    return _assigned(user, company)


@rules.predicate
def is_diagnosis_consultant(user, diagnosis) -> bool:
    return _on_diagnosis(user, diagnosis)


@rules.predicate
def is_assigned_to_diagnosis_company(user, diagnosis) -> bool:
    return diagnosis is not None and _assigned(user, diagnosis.company)


@rules.predicate
def is_reported(user, diagnosis) -> bool:
    return diagnosis is not None and diagnosis.stage in REPORT_STAGES


@rules.predicate
def is_member_of_diagnosis_company(user, diagnosis) -> bool:
    return diagnosis is not None and is_company_member(user, diagnosis.company)


@rules.predicate
def is_open(user, diagnosis) -> bool:
    return diagnosis is not None and not diagnosis.is_closed


can_work_on = is_consultant & is_diagnosis_consultant & is_assigned_to_diagnosis_company

# The admin may start one anywhere (as Django's has_perm always let a superuser); consultants where assigned.
rules.add_perm("shindan.create_diagnosis", is_admin | (is_consultant & is_assigned_to_company))
rules.add_perm("shindan.view_diagnosis", is_coordinator_or_admin | (is_consultant & is_diagnosis_consultant))
rules.add_perm("shindan.change_diagnosis", can_work_on & is_open)
rules.add_perm(
    "shindan.view_report",
    is_coordinator_or_admin
    | (is_consultant & is_diagnosis_consultant)
    | (is_member_of_diagnosis_company & is_reported),
)
rules.add_perm("shindan.manage_assignments", is_coordinator_or_admin)
rules.add_perm("shindan.manage_checklists", is_coordinator_or_admin)
rules.add_perm("shindan.view_checklist", is_coordinator_or_admin | is_consultant)
rules.add_perm("shindan.view_overview", is_coordinator_or_admin)
rules.add_perm("shindan.view_workspace", is_consultant)

# An assigned consultant needs the company's contacts to arrange the visit.
register_contact_grant(lambda user, company: is_consultant(user) and _assigned(user, company))
