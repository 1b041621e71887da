"""portal/core/lookups.py: one answer, 404, for "missing" and for "not allowed"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from portal.core.lookups import allowed_or_404, permission_or_404
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_allowed_or_404_answers_404_for_missing_and_for_not_allowed():
    member = MembershipFactory()
    outsider = UserFactory()
    assert (
        allowed_or_404(member.company, user=member.user, permission="companies.edit_company")
        is member.company
    )
    with pytest.raises(Http404):
        allowed_or_404(member.company, user=outsider, permission="companies.edit_company")
    with pytest.raises(Http404):
        allowed_or_404(None, user=member.user, permission="companies.edit_company")
    with pytest.raises(Http404):
        allowed_or_404(None, user=member.user, permission=None)
    assert allowed_or_404(member.company, user=AnonymousUser(), permission=None) is member.company


def test_permission_or_404_for_pages_without_an_object():
    permission_or_404(user=UserFactory(role="coordinator"), permission="events.manage_event")
    for user in (UserFactory(), AnonymousUser()):
        with pytest.raises(Http404):
            permission_or_404(user=user, permission="events.manage_event")
