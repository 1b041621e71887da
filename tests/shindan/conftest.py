"""Fixtures shared by the Shindan tests."""

import datetime

import pytest

from matching.models import Introduction
from shindan import services
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.shindan.helpers import assigned_consultant, reported_diagnosis


@pytest.fixture
def world():
    company = CompanyFactory(name_en="Siam Precision Co., Ltd.", name_th="บริษัท สยามพรีซิชั่น จำกัด")
    consultant = assigned_consultant(company)
    diagnosis = reported_diagnosis(company, consultant)
    services.revision_open(actor=consultant, diagnosis=diagnosis, reason="plan")
    action = services.action_add(
        actor=consultant,
        diagnosis=diagnosis,
        what="5S audits",
        owner="Plant manager",
        due_on=datetime.date(2026, 6, 30),
    )
    services.revision_issue(actor=consultant, diagnosis=diagnosis)
    partner = CompanyFactory(country="JP", name_en="Kansai Robotics K.K.", name_ja="関西ロボティクス株式会社")
    Introduction.objects.create(
        thai_company=company, japanese_company=partner, requesting_company=partner, stage="introduced"
    )
    users = {
        "anonymous": None,
        "other_company": MembershipFactory().user,
        "partner_company": MembershipFactory(company=partner).user,
        "unassigned_consultant": UserFactory(role="consultant"),
        "assigned_consultant": consultant,
        "coordinator": UserFactory(role="coordinator"),
        "owner": MembershipFactory(company=company).user,
    }
    return {"company": company, "diagnosis": diagnosis, "action": action, "users": users}
