"""Directory page weight with logos: a page of 20 cards, each with a logo, in Chromium against production-like
serving (DEBUG=0, collectstatic, gunicorn). Goal: at most 300 KB transferred on a visit after the first
(the browser keeps hashed static files and logos; logos are 256 px WebP thumbnails under content-hashed names,
cached a year, and lazy-loaded).

Measured in the same run on the same server, on three directories of 20 companies each (one per country
filter value, so each page has exactly 20 cards):

* "logos": the portal's logos (uploaded 1200 × 1200 PNG, re-encoded by portal/core/images.py);
* baseline "logos as uploaded": the same PNGs stored as they came (what the portal served before);
* baseline "no logos": the cards with the initials placeholder.

For each: the first visit (new browser context: empty cache) and the next visit in the same context.
Transferred bytes are Chromium's count (DevTools' encodedDataLength: headers and compressed bodies).
var/bench_directory_weight/ keeps the database, media, collected static files and the server's log.
"""

import os
import signal
import subprocess
import sys

from bench.bench_page_weight import BIN, CHROMIUM, ROOT, _environment, _free_port, _kb, _wait_until_up

WORK = ROOT / "var" / "bench_directory_weight"
GOAL = 300 * 1024
CARDS = 20


def _setup(environment: dict) -> None:
    """Migrate; 20 Thai companies with re-encoded logos ("thumbnail"), 20 Japanese ones with the logos
    stored as uploaded, 20 Thai ones without a logo ("plain")."""
    script = r"""
import io, random
from PIL import Image, ImageDraw
from django.core.files.base import ContentFile
from portal.companies.models import Company
from portal.companies.services import company_refresh_derived, company_update_profile
from tests.factories import CompanyFactory

def upload(n):
    rng = random.Random(n)
    image = Image.new("RGB", (1200, 1200), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):  # detail, so the PNG is not trivially small
        x, y = rng.randrange(1100), rng.randrange(1100)
        draw.ellipse((x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 200)),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO(); image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name=f"logo{n}.png")

for n in range(20):
    c = CompanyFactory(country="TH", name_en=f"Thumbnail Logo {n:02d} Co., Ltd.", pitch_en="Precision parts")
    company_update_profile(company=c, logo=upload(n))
for n in range(20):
    c = CompanyFactory(country="JP", name_en=f"Original Logo {n:02d} K.K.", pitch_en="Precision parts")
    c.logo.save(f"logo{n}.png", upload(n), save=True)
    company_refresh_derived(company=c)
for n in range(20):
    c = CompanyFactory(country="TH", name_en=f"Plain Initials {n:02d} Co., Ltd.", pitch_en="Precision parts")
    company_refresh_derived(company=c)
"""
    subprocess.run(
        [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", script], cwd=ROOT, env=environment, check=True
    )


def _visits(browser, url: str) -> tuple[dict, dict]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    results = []
    for _visit in range(2):
        requests: dict[str, dict] = {}

        def received(event, requests=requests):
            requests.setdefault(event["requestId"], {}).update(
                type=event["type"], cached=event["response"].get("fromDiskCache", False)
            )

        def finished(event, requests=requests):
            requests.setdefault(event["requestId"], {}).update(bytes=event["encodedDataLength"])

        session.on("Network.responseReceived", received)
        session.on("Network.loadingFinished", finished)
        page.goto(url, wait_until="networkidle")
        page.mouse.wheel(0, 20000)  # scroll to the end: every lazy logo loads
        page.wait_for_timeout(500)
        page.wait_for_load_state("networkidle")
        session.remove_listener("Network.responseReceived", received)
        session.remove_listener("Network.loadingFinished", finished)
        done = [r for r in requests.values() if "bytes" in r]
        images = [r for r in done if r.get("type") == "Image"]
        results.append(
            {
                "bytes": sum(r["bytes"] for r in done),
                "requests": len(done),
                "image_bytes": sum(r["bytes"] for r in images),
                "images": len(images),
                "cards": page.locator(".company-card").count(),
            }
        )
    context.close()
    return results[0], results[1]


def main() -> None:
    import shutil

    from playwright.sync_api import sync_playwright

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    environment = _environment()
    environment.update(
        DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "media"),
        PRIVATE_MEDIA_ROOT=str(WORK / "private"),
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=environment, check=True,
    )  # fmt: skip
    _setup(environment)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    pages = {
        "logos": f"{base}/directory/?country=TH&q=thumbnail",
        "logos as uploaded": f"{base}/directory/?country=JP",
        "no logos": f"{base}/directory/?country=TH&q=plain",
    }
    rows = []
    with (WORK / "gunicorn.log").open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi:application", "--workers=1", "--threads=4",
             f"--bind=127.0.0.1:{port}", "--no-control-socket"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_until_up(port, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for name, url in pages.items():
                    first, again = _visits(browser, url)
                    if first["cards"] != CARDS:
                        raise RuntimeError(f"{name}: {first['cards']} cards, expected {CARDS}")
                    rows.append((name, first, again))
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    print(
        f"Directory page, {CARDS} cards, Chromium at 1280 px scrolled to the end; "
        f"goal after the first visit <= {_kb(GOAL)}"
    )
    print(
        f"{'page':<20}{'first visit':>13}{'images':>9}{'image bytes':>13}{'next visit':>12}{'images':>9}  ok"
    )
    for name, first, again in rows:
        ok = "yes" if again["bytes"] <= GOAL else "NO"
        print(
            f"{name:<20}{_kb(first['bytes']):>13}{first['images']:>9}{_kb(first['image_bytes']):>13}"
            f"{_kb(again['bytes']):>12}{again['images']:>9}  {ok if name == 'logos' else ''}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    main()
