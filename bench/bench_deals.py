"""Deals at scale: the inbox and a long conversation (issue 16).

Data (``DEALS_BENCH_SCALE``, 1.0 = the issue's figures): 10,000 companies (half Thai, half Japanese),
50,000 conversations and 500,000 messages, bulk-inserted; one Thai company has 200 conversations (a busy
inbox, unread messages in each) and one of them 1,000 messages. Measured in-process through the full
middleware stack (Django test client, the member signed in, Thai UI): the inbox page, the conversation page
(the latest 50 messages), its poll, and the unread count. Targets: ≤ 100 ms median, ≤ 300 ms p95 on
PostgreSQL. Naive baselines measured in the same run: the inbox with one unread-count query per
conversation, and the conversation with all 1,000 messages and their authors loaded one by one.
"""

import os
import random
import time

from bench._env import bench_database, latency, print_latency_table

SCALE = float(os.environ.get("DEALS_BENCH_SCALE", "1.0"))
COMPANIES = int(10_000 * SCALE)
CONVERSATIONS = int(50_000 * SCALE)
MESSAGES = int(500_000 * SCALE)
BUSY_CONVERSATIONS = 200
LONG = 1_000
BATCH = 10_000  # rows per INSERT: ~10 MB of parameters at most
REQUESTS = int(os.environ.get("DEALS_BENCH_REQUESTS", "100"))


def _registration(country: str, n: int) -> str:
    from tests.factories import japanese_registration_number, thai_registration_number

    return thai_registration_number(n) if country == "TH" else japanese_registration_number(n)


def _seed():
    from django.utils import timezone

    from deals.models import Conversation, Message, ReadState
    from portal.accounts.models import User
    from portal.companies.models import Company, Membership

    half = COMPANIES // 2
    Company.objects.bulk_create(
        [
            Company(
                country=country,
                name_en=f"{country} company {n}",
                registration_no=_registration(country, n),
                verification_status="verified",
            )
            for country in ("TH", "JP")
            for n in range(half)
        ],
        batch_size=BATCH,
    )
    thai = list(Company.objects.filter(country="TH").order_by("pk").values_list("pk", flat=True))
    japanese = list(Company.objects.filter(country="JP").order_by("pk").values_list("pk", flat=True))
    rng = random.Random(16)  # noqa: S311 - benchmark data
    pairs = {(thai[0], japanese[j]) for j in range(min(BUSY_CONVERSATIONS, len(japanese)))}
    while len(pairs) < CONVERSATIONS:
        pairs.add((rng.choice(thai), rng.choice(japanese)))
    now = timezone.now()
    Conversation.objects.bulk_create(
        [
            Conversation(
                thai_company_id=t,
                japanese_company_id=j,
                opened_by_company_id=t,
                origin="recommendation",
                last_message_at=now - timezone.timedelta(minutes=i),
                last_message_company_id=j,
            )
            for i, (t, j) in enumerate(sorted(pairs))
        ],
        batch_size=BATCH,
    )
    conversations = list(
        Conversation.objects.order_by("pk").values_list("pk", "thai_company_id", "japanese_company_id")
    )
    busy = [c for c in conversations if c[1] == thai[0]]
    long_one = busy[0]
    user = User.objects.create_user(email="bench@example.com", password="bench-password-1")  # noqa: S106 - throw-away database
    Membership.objects.create(user=user, company_id=thai[0], role="owner")
    counts = {c[0]: 0 for c in conversations}
    plan = [long_one] * LONG + [c for c in busy[1:] for _ in range(5)]
    while len(plan) < MESSAGES:
        plan.append(rng.choice(conversations))
    rows = []
    for conversation_id, thai_id, japanese_id in plan:
        counts[conversation_id] += 1
        side = japanese_id if counts[conversation_id] % 2 else thai_id
        rows.append(
            Message(
                conversation_id=conversation_id,
                company_id=side,
                text="射出成形の見積もり ABS 5,000",
                language="ja",
            )
        )
        if len(rows) == BATCH:
            Message.objects.bulk_create(rows)
            rows = []
    Message.objects.bulk_create(rows)
    # The member read half of the busy inbox up to its middle.
    middle = dict(
        Message.objects.filter(conversation_id__in=[c[0] for c in busy[::2]])
        .order_by("pk")
        .values_list("conversation_id", "pk")
    )
    ReadState.objects.bulk_create(
        [ReadState(conversation_id=cid, user=user, last_read_id=pk // 2) for cid, pk in middle.items()]
    )
    return user, long_one[0]


def _naive_inbox(request):
    """Baseline: the conversations, then one query per conversation for its unread count and one for each
    partner's name."""
    from django.http import HttpResponse

    from deals.models import Conversation, Message, ReadState

    ids = list(request.user.memberships.values_list("company_id", flat=True))
    lines = []
    for conversation in Conversation.objects.filter(thai_company_id__in=ids).order_by("-last_message_at"):
        state = ReadState.objects.filter(conversation=conversation, user=request.user).first()
        unread = (
            Message.objects.filter(conversation=conversation, pk__gt=state.last_read_id if state else 0)
            .exclude(company_id__in=ids)
            .count()
        )
        lines.append(f"{conversation.japanese_company.display_name()} {unread}")
    return HttpResponse("\n".join(lines))


def _naive_conversation(request, pk):
    """Baseline: every message of the conversation, each with its company fetched on its own."""
    from django.http import HttpResponse

    from deals.models import Message

    lines = [
        f"{m.company.display_name()}: {m.text}"
        for m in Message.objects.filter(conversation_id=pk).order_by("pk")
    ]
    return HttpResponse("\n".join(lines))


def main() -> None:
    with bench_database() as vendor:
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import path

        from deals.models import Message
        from portal import urls as portal_urls

        start = time.perf_counter()
        user, long_pk = _seed()
        seeded = time.perf_counter() - start

        class BenchUrls:
            urlpatterns = [
                path("__naive_inbox__", _naive_inbox),
                path("__naive_conversation__/<int:pk>/", _naive_conversation),
                *portal_urls.urlpatterns,
            ]

        with override_settings(ROOT_URLCONF=BenchUrls):
            member = Client(HTTP_ACCEPT_LANGUAGE="th")
            member.force_login(user)
            newest = (
                Message.objects.filter(conversation_id=long_pk).order_by("-pk").values_list("pk", flat=True)
            )
            last = newest[49]
            rows = [
                ("inbox, 200 conversations (page)", latency(member, "/deals/", n=REQUESTS)),
                (
                    "baseline: naive inbox (query per conversation)",
                    latency(member, "/__naive_inbox__", n=max(5, REQUESTS // 10)),
                ),
                (
                    "conversation, 1,000 messages, latest 50 (page)",
                    latency(member, f"/deals/c/{long_pk}/", n=REQUESTS),
                ),
                (
                    "conversation poll (50 new)",
                    latency(member, f"/deals/c/{long_pk}/poll/", n=REQUESTS, params={"after": last}),
                ),
                (
                    "baseline: naive conversation (all 1,000, N+1)",
                    latency(member, f"/__naive_conversation__/{long_pk}/", n=max(5, REQUESTS // 10)),
                ),
                ("unread count (header poll)", latency(member, "/deals/unread/", n=REQUESTS)),
            ]
        print_latency_table(
            f"{COMPANIES} companies, {CONVERSATIONS} conversations, {MESSAGES} messages ({vendor}; "
            f"seeded in {seeded:.0f} s); {REQUESTS} requests each, in-process",
            rows,
        )
