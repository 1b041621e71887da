import datetime

from django.utils import timezone

from matching.models import MatchProposal
from matching.services import weights_current
from portal.postings.models import Posting, PostingType


def need(company, *, title="Injection molded housings", expires_on=None, **kwargs):
    return Posting.objects.create(
        company=company, type=PostingType.SUPPLY_NEED, title_en=title, status="published",
        published_at=timezone.now(), expires_on=expires_on, **kwargs,
    )  # fmt: skip


def match(company, partner, score, reasons=None, rank=1):
    return MatchProposal.objects.create(
        company=company, partner=partner, rank=rank, score=score, weights=weights_current(),
        computed_at=timezone.now(), reasons=reasons or [],
    )  # fmt: skip


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)
