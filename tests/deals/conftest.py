import pytest

from portal.companies.models import CompanyContact
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

SECRET_EMAIL = "somchai.private@siam-precision.example"
SECRET_PHONE = "+66812345678"
OWNER_A_EMAIL = "owner.a@siam.example"


@pytest.fixture(autouse=True)
def _deals_tasks_inline(inline_tasks):
    """Notification e-mails are sent by a task after commit: these tests read them from mail.outbox, as on the
    embedded default, also when CI points Celery at a broker."""


@pytest.fixture
def pair(db):
    """A verified Thai company A and Japanese company B, each with an owner and a private contact."""
    a = CompanyFactory(name_en="Siam Precision", name_th="สยามพรีซิชั่น", country="TH")
    b = CompanyFactory(name_en="Kato Medical", name_ja="加藤メディカル", country="JP")
    owner_a = MembershipFactory(company=a, user=UserFactory(email=OWNER_A_EMAIL, language="th")).user
    owner_b = MembershipFactory(company=b, user=UserFactory(language="ja")).user
    CompanyContact.objects.create(company=a, name="Somchai", email=SECRET_EMAIL, phone=SECRET_PHONE)
    CompanyContact.objects.create(company=b, name="Kato", email="kato@kato.example", phone="+81312345678")
    return {"a": a, "b": b, "owner_a": owner_a, "owner_b": owner_b}


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator", first_name="Yuki", last_name="Coordinator")
