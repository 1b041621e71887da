"""A coordinator's erasure by name: what it would empty is shown first, place by place (a company, an
event); when the name alone finds people at more than one place, they may be namesakes, so the coordinator
ticks the places that are the person's and only those are erased. Nothing changes on a refusal."""

import json

import pytest
from django.urls import reverse

from events.models import Representative
from portal.companies.models import CompanyContact
from portal.privacy import services
from portal.privacy.models import DataRequest, RequestKind, RequestStatus
from tests.factories import CompanyFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes():
    first = ParticipantFactory(company=CompanyFactory(name_en="Siam Mould Co., Ltd."))
    second = ParticipantFactory(company=CompanyFactory(name_en="Rayong Polymer Co., Ltd."))
    for participant in (first, second):
        Representative.objects.create(participant=participant, name="Anan Thongdee", languages="th")
    request = services.request_log(actor=None, kind=RequestKind.ERASURE, name="Anan Thongdee")
    return first.company, second.company, request


@pytest.fixture
def coordinator(client):
    client.force_login(UserFactory(role="coordinator", language="en"))
    return client


def _names():
    return sorted(Representative.objects.values_list("participant__company__name_en", "name"))


def test_the_desk_shows_each_place_before_erasing_and_asks_to_choose_among_namesakes(coordinator, namesakes):
    first, second, _request = namesakes

    page = coordinator.get(reverse("privacy_requests")).content.decode()

    assert "People can share a name: tick only the places where this person is found." in page
    assert "<strong>Rayong Polymer Co., Ltd.</strong>: event representative × 1" in page
    assert "<strong>Siam Mould Co., Ltd.</strong>: event representative × 1" in page
    assert f'name="place" value="company:{first.pk}">' in page  # not ticked for the coordinator
    assert f'name="place" value="company:{second.pk}">' in page


@pytest.mark.parametrize("data", [{"action": "erase"}, {"action": "erase", "choose_places": "1"}])
def test_an_erasure_among_namesakes_without_a_choice_is_refused(coordinator, namesakes, data):
    from django.contrib.messages import get_messages

    _first, _second, request = namesakes

    response = coordinator.post(reverse("privacy_request", args=[request.pk]), data)

    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "tick the places where this person is found" in said.lower()
    # back to the desk with the request's erase panel open again, beside the reason
    assert response["Location"] == f"{reverse('privacy_requests')}?erase={request.pk}#erase-{request.pk}"
    page = coordinator.get(response["Location"]).content.decode()
    assert f'<details id="erase-{request.pk}" open>' in page
    assert _names() == [
        ("Rayong Polymer Co., Ltd.", "Anan Thongdee"),
        ("Siam Mould Co., Ltd.", "Anan Thongdee"),
    ]
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_only_the_ticked_place_is_erased(coordinator, namesakes):
    first, _second, request = namesakes

    coordinator.post(
        reverse("privacy_request", args=[request.pk]),
        {"action": "erase", "choose_places": "1", "place": [f"company:{first.pk}", "company:0", "nonsense"]},
    )

    assert _names() == [("Rayong Polymer Co., Ltd.", "Anan Thongdee"), ("Siam Mould Co., Ltd.", "(erased)")]
    request = DataRequest.objects.get(pk=request.pk)
    assert request.status == RequestStatus.DONE
    assert json.loads(request.outcome)["event_representatives"] == 1
    closed = coordinator.get(reverse("privacy_requests")).content.decode()
    assert '<span class="muted">(erased)</span>' in closed  # the erased name, a translated word


def test_what_the_e_mail_finds_is_the_persons_own_and_one_place_by_name_needs_no_choice(coordinator):
    company, other = CompanyFactory(name_en="Kato Medical"), CompanyFactory(name_en="Siam Gear")
    CompanyContact.objects.create(company=company, name="Malee Srisuk", email="malee@example.com")
    CompanyContact.objects.create(company=other, name="Malee Srisuk", email="")
    request = services.request_log(
        actor=None, kind=RequestKind.ERASURE, name="Malee Srisuk", email="malee@example.com"
    )

    page = coordinator.get(reverse("privacy_requests")).content.decode()
    coordinator.post(reverse("privacy_request", args=[request.pk]), {"action": "erase"})

    assert (
        '<strong>Kato Medical</strong>: company contact × 1 <span class="muted">(found by the e-mail)</span>'
        in page
    )
    assert f'name="place" value="company:{other.pk}" checked>' in page  # the only place by name: ticked
    assert sorted(CompanyContact.objects.values_list("name", flat=True)) == ["(erased)", "(erased)"]
