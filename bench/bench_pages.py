"""Pages under the full middleware stack (in-process, Django test client, throw-away database).

Baseline: a view that returns a constant response through the same middleware stack, measured in the
same run: what remains above it is the cost of our pages themselves (templates, queries).
"""

from bench._env import bench_database, latency, print_latency_table

REQUESTS = 300


def main() -> None:
    with bench_database() as vendor:
        from django.http import HttpResponse
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import path

        from portal import urls as portal_urls
        from portal.core.demo import DEMO_PASSWORD, demo_companies_seed, demo_users_seed

        demo_companies_seed()
        demo_users_seed()

        def constant(request):
            return HttpResponse("ok")

        class BenchUrls:
            urlpatterns = [path("__baseline__", constant), *portal_urls.urlpatterns]

        with override_settings(ROOT_URLCONF=BenchUrls):
            anonymous = Client(HTTP_ACCEPT_LANGUAGE="th")
            member = Client(HTTP_ACCEPT_LANGUAGE="th")
            member.login(username="owner.th@demo.example", password=DEMO_PASSWORD)
            rows = [
                ("baseline: constant view (anonymous)", latency(anonymous, "/__baseline__", n=REQUESTS)),
                ("home (anonymous, Thai)", latency(anonymous, "/", n=REQUESTS)),
                ("login page (anonymous)", latency(anonymous, "/accounts/login/", n=REQUESTS)),
                ("healthz", latency(anonymous, "/healthz", n=REQUESTS)),
                ("baseline: constant view (member)", latency(member, "/__baseline__", n=REQUESTS)),
                ("dashboard (member, Thai)", latency(member, "/dashboard/", n=REQUESTS)),
            ]
        print_latency_table(f"{REQUESTS} requests each, in-process, {vendor}", rows)
