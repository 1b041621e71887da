"""The score from which a "new strong match" is announced: chosen on the notification settings page
(default 70, 50–100), refused out of range with nothing changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.notifications.models import NotificationPreference
from portal.notifications.selectors import notification_thresholds
from portal.notifications.services import notification_preferences_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = "matching.strong_match"
FIELD = f"{KIND}.threshold"


def _form(client) -> dict:
    """The settings page's current values, as a browser would post them back."""
    form = client.get(reverse("notifications:preferences")).context["form"]
    return {name: form[name].value() for name in form.fields}


def test_default_threshold_is_70_and_a_choice_is_kept(client):
    somchai, kato = UserFactory(language="en"), UserFactory(language="en")
    client.force_login(somchai)
    data = _form(client)
    assert data[FIELD] == 70
    assert data[KIND] == "daily"

    response = client.post(reverse("notifications:preferences"), {**data, FIELD: "85"})

    assert response.status_code == 302
    assert notification_thresholds(user_ids=[somchai.pk, kato.pk], kind=KIND) == {somchai.pk: 85, kato.pk: 70}
    assert _form(client)[FIELD] == 85


@pytest.mark.parametrize("score", ["49", "101", "seventy", "70.5"])
def test_a_threshold_out_of_range_is_refused_and_nothing_changes(client, score):
    somchai = UserFactory(language="en")
    notification_preferences_set(user=somchai, choices={"deals.message": "weekly"}, thresholds={KIND: 80})
    client.force_login(somchai)
    data = _form(client)

    response = client.post(
        reverse("notifications:preferences"), {**data, FIELD: score, "deals.message": "off"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors[FIELD]
    assert set(
        NotificationPreference.objects.filter(user=somchai).values_list("kind", "frequency", "threshold")
    ) == {
        ("deals.message", "weekly", None),
        (KIND, "daily", 80),
    }


def test_an_empty_threshold_keeps_the_current_one(client):
    somchai = UserFactory(language="en")
    notification_preferences_set(user=somchai, choices={}, thresholds={KIND: 80})
    client.force_login(somchai)

    response = client.post(reverse("notifications:preferences"), {**_form(client), FIELD: ""})

    assert response.status_code == 302
    assert notification_thresholds(user_ids=[somchai.pk], kind=KIND) == {somchai.pk: 80}


@pytest.mark.parametrize("score", [49, 101, True, "80"])
def test_the_service_refuses_a_bad_threshold(score):
    somchai = UserFactory()
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(user=somchai, choices={KIND: "off"}, thresholds={KIND: score})
    assert error.value.code == "bad_threshold"
    assert not NotificationPreference.objects.filter(user=somchai).exists()


def test_a_kind_without_a_threshold_takes_none():
    somchai = UserFactory()
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(user=somchai, choices={}, thresholds={"deals.message": 80})
    assert error.value.code == "no_threshold"


def test_choosing_a_threshold_keeps_the_frequency():
    somchai = UserFactory()
    notification_preferences_set(user=somchai, choices={KIND: "weekly"})
    notification_preferences_set(user=somchai, choices={}, thresholds={KIND: 90})
    assert NotificationPreference.objects.get(user=somchai, kind=KIND).frequency == "weekly"


def test_settings_page_in_thai_names_the_threshold(client):
    client.force_login(UserFactory(language="th"))
    html = client.get(reverse("notifications:preferences"), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert 'name="matching.strong_match.threshold"' in html
    assert "คะแนนขั้นต่ำสำหรับ “คู่ธุรกิจใหม่ที่เหมาะสมมาก”" in html
    assert "Lowest score" not in html
