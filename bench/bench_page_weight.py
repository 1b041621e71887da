"""Page weight: the bytes a first visit to the home page transfers, per language (en, th, ja), in Chromium
with a cold cache, against production-like static serving (DEBUG=0, collectstatic with WhiteNoise's hashed
and compressed files, gunicorn). Goal: at most 400 KB in every language.

Beside each figure, measured in the same run on the same server:

* baseline "full fonts": the same page with the @font-face rules the portal had before the fonts were cut
  into slices (the full Noto Sans Thai and Noto Sans JP files of static/fonts/, declared by their Unicode
  blocks), swapped in for css/fonts.css by the browser's request interception;
* baseline "no fonts": the same page with every font request refused: what the page costs without web fonts.

Transferred bytes are Chromium's own count (DevTools' encodedDataLength: headers and compressed bodies).
The database is a throw-away SQLite file (the home page of an anonymous visitor reads none);
var/bench_page_weight/ keeps the server's log and the collected static files until the next run.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench_page_weight"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
LANGUAGES = {"en": "en-US", "th": "th-TH", "ja": "ja-JP"}
GOAL = 400 * 1024
# The @font-face rules of css/portal.css before the slices (commit 00ddf06), pointing at the full fonts.
OLD_FACES = [
    ("Noto Sans Thai", 400, "fonts/NotoSansThai-Regular.woff2", "U+0E00-0E7F"),
    ("Noto Sans Thai", 700, "fonts/NotoSansThai-Bold.woff2", "U+0E00-0E7F"),
    ("Noto Sans JP", 400, "fonts/NotoSansJP-Regular.woff2", "U+3000-30FF, U+4E00-9FFF, U+FF00-FFEF"),
    ("Noto Sans JP", 700, "fonts/NotoSansJP-Bold.woff2", "U+3000-30FF, U+4E00-9FFF, U+FF00-FFEF"),
]
# Settings the caller's environment might hold: this run sets its own.
PORTAL_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SQLITE_PATH",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CACHE_URL",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
}


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        PYTHONUNBUFFERED="1",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
        CELERY_BROKER_URL="memory://",  # nothing is queued: the home page of an anonymous visitor
        STATIC_ROOT=str(WORK / "static"),
        # No TLS proxy here: plain HTTP on 127.0.0.1.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )
    return environment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {WORK / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer / in {seconds} s; see {WORK / 'gunicorn.log'}")


def _old_fonts_css(static_root: Path) -> str:
    """The old @font-face rules with the full fonts' hashed URLs (relative to css/, as the CSS was)."""
    manifest = json.loads((static_root / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
    return "".join(
        f'@font-face {{ font-family: "{family}"; src: url("../{manifest[path]}") format("woff2"); '
        f"font-weight: {weight}; font-display: swap; unicode-range: {ranges}; }}\n"
        for family, weight, path, ranges in OLD_FACES
    )


def _visit(browser, url: str, language: str, *, route=None) -> dict:
    """A first visit (new context: empty cache and cookies): bytes transferred, requests, fonts."""
    context = browser.new_context(locale=LANGUAGES[language], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if route:
        page.route(*route)
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    requests: dict[str, dict] = {}
    session.on(
        "Network.responseReceived",
        lambda event: requests.setdefault(event["requestId"], {}).update(
            url=event["response"]["url"],
            encoding={k.lower(): v for k, v in event["response"]["headers"].items()}.get(
                "content-encoding", ""
            ),
            type=event["type"],
        ),
    )
    session.on(
        "Network.loadingFinished",
        lambda event: requests.setdefault(event["requestId"], {}).update(bytes=event["encodedDataLength"]),
    )
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    html_lang = page.evaluate("document.documentElement.lang")
    context.close()
    done = [r for r in requests.values() if "bytes" in r]
    fonts = [r for r in done if r.get("type") == "Font"]
    return {
        "lang": html_lang,
        "bytes": sum(r["bytes"] for r in done),
        "requests": len(done),
        "font_bytes": sum(r["bytes"] for r in fonts),
        "fonts": sorted(Path(r["url"]).name.split(".")[0] for r in fonts),
        "encodings": {
            r.get("type"): r["encoding"] or "identity"
            for r in done
            if r.get("type") in ("Stylesheet", "Script")
        },
    }


def _kb(value: int) -> str:
    return f"{value / 1024:,.0f} KB"


def main() -> None:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    environment = _environment()
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    print(f"collectstatic (hashed names, gzip and brotli): {time.perf_counter() - start:.0f} s")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    old_css = _old_fonts_css(WORK / "static")
    rows = []
    with (WORK / "gunicorn.log").open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "portal.wsgi:application",
                "--workers=1",
                "--threads=4",
                f"--bind=127.0.0.1:{port}",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(port, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for language in LANGUAGES:
                    now = _visit(browser, base + "/", language)
                    full = _visit(
                        browser,
                        base + "/",
                        language,
                        route=(
                            "**/css/fonts.*.css",
                            lambda r: r.fulfill(content_type="text/css", body=old_css),
                        ),
                    )
                    bare = _visit(browser, base + "/", language, route=("**/*.woff2", lambda r: r.abort()))
                    if now["lang"] != language:
                        raise RuntimeError(f"asked for {language}, the page answered in {now['lang']}")
                    rows.append((language, now, full, bare))
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    print(f"First visit to the home page (anonymous), Chromium, cold cache; goal <= {_kb(GOAL)}")
    print(
        f"{'language':<10}{'transferred':>13}{'requests':>10}{'fonts':>10}"
        f"{'full fonts':>13}{'no fonts':>11}  ok"
    )
    for language, now, full, bare in rows:
        print(
            f"{language:<10}{_kb(now['bytes']):>13}{now['requests']:>10}{_kb(now['font_bytes']):>10}"
            f"{_kb(full['bytes']):>13}{_kb(bare['bytes']):>11}  {'yes' if now['bytes'] <= GOAL else 'NO'}"
        )
    for language, now, full, _bare in rows:
        print(
            f"{language}: font files {', '.join(now['fonts']) or '(none)'}; with the full fonts "
            f"{', '.join(full['fonts'])}; content-encoding of CSS and JS: {now['encodings']}"
        )


if __name__ == "__main__":
    main()
