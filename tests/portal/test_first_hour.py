"""What a newcomer meets in the first hour: a note with an introduction request, errors that say what is
wrong with what was typed, a year range in the reader's era, and a next step where there was none."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from matching.models import Introduction
from portal.accounts.models import Role
from portal.companies.validation import clean_founded_year
from portal.showcase.forms import ProductForm
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MatchProposalFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def pair():
    japanese = CompanyFactory(country="JP", name_en="Kato Medical")
    thai = CompanyFactory(country="TH", name_en="Siam Molder")
    MatchProposalFactory(company=japanese, partner=thai, score=80)
    member = MembershipFactory(company=japanese, user__language="en").user
    return japanese, thai, member


def test_an_introduction_request_carries_a_note_for_the_coordinators(client, pair):
    japanese, thai, member = pair
    client.force_login(member)
    page = client.get(reverse("matching:recommendations")).content.decode()
    assert f'id="intro-note-{japanese.pk}-{thai.pk}" name="message"' in page

    response = client.post(
        reverse("matching:request", args=[japanese.pk, thai.pk]),
        {"message": "We look for a molder of PEEK housings."},
        follow=True,
    )
    assert _messages(response) == ["Your request was sent to the coordinators."]
    assert Introduction.objects.get().message == "We look for a molder of PEEK housings."
    page = client.get(reverse("matching:recommendations")).content.decode()
    assert "Your request is with the coordinators: they will introduce you or tell you why not" in page


def test_an_over_long_note_sends_no_request_and_says_why(client, pair):
    japanese, thai, member = pair
    client.force_login(member)
    response = client.post(
        reverse("matching:request", args=[japanese.pk, thai.pk]), {"message": "x" * 2001}, follow=True
    )
    assert _messages(response) == [
        "Message to the coordinators: Ensure this value has at most 2000 characters (it has 2001)."
    ]
    assert not Introduction.objects.exists()


def test_a_name_too_long_is_not_called_missing():
    form = ProductForm(data={"name_en": "x" * 161})
    assert not form.is_valid()
    assert "name_en" in form.errors
    assert "__all__" not in form.errors
    assert not ProductForm(data={}).is_valid()
    assert ProductForm(data={}).errors["__all__"] == ["Give the product a name in at least one language."]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Enter a year between 1800 and 2026 (Buddhist Era years such as 2560 are accepted)."),
        ("th", "กรุณากรอกปี พ.ศ. ระหว่าง 2400 ถึง 2569 (กรอกเป็นปี ค.ศ. ก็ได้)"),
    ],
)
def test_the_founded_year_range_is_in_the_readers_era(language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        clean_founded_year(2600, current_year=2026)
    assert refused.value.messages == [message]


def test_an_owner_finds_the_members_page_from_the_dashboard(client):
    owner = MembershipFactory(role="owner").user
    member = MembershipFactory(role="member").user
    client.force_login(owner)
    company = owner.memberships.get().company
    assert (
        reverse("companies:members", args=[company.pk]) in client.get(reverse("dashboard")).content.decode()
    )
    client.force_login(member)
    other = member.memberships.get().company
    assert (
        reverse("companies:members", args=[other.pk]) not in client.get(reverse("dashboard")).content.decode()
    )


def test_a_person_without_a_company_is_shown_the_way_in(client):
    newcomer = UserFactory()
    client.force_login(newcomer)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("companies:join") in dashboard
    event = EventFactory()
    page = client.get(reverse("events:mine", args=[event.slug])).content.decode()
    assert "register your company, or ask to join your company" in page
    assert reverse("companies:join") in page
    assert "Your company does not take part in this event yet." not in page

    client.force_login(UserFactory(role=Role.COORDINATOR))
    assert reverse("companies:join") not in client.get(reverse("dashboard")).content.decode()
