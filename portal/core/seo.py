"""Public pages that search engines and partners can find, in each language (docs/seo.md).

- Public pages have a twin under a language prefix: ``/th/directory/12/``, ``/ja/…``, ``/en/…``
  (``public:*`` URL names, portal/urls.py). The prefixed page renders in its URL's language whoever asks;
  the unprefixed URLs (every existing link) keep working in the viewer's language and name the prefixed
  page in the viewer's language as canonical.
- Every page says whether it may be indexed: public pages carry ``hreflang`` alternates and a canonical
  URL; every other page (and a public page of something not public, e.g. an unverified company seen by its
  owner) says ``noindex``. ``robots.txt`` keeps crawlers out of the private areas and names the sitemap.
- ``sitemap.xml`` (django.contrib.sitemaps) lists verified companies, live postings and public events in
  the three languages (``LocalizedSitemap``).
"""

import functools
import re
import unicodedata

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation

PUBLIC_LANGUAGES = ("th", "ja", "en")
LANGUAGE_PREFIX = r"th|ja|en"

# The unprefixed public routes and their language-prefixed twins.
PUBLIC_TWINS = {
    "companies:directory": "public:directory",
    "companies:detail": "public:company",
    "postings:detail": "public:posting",
    "events:detail": "public:event",
}

# Paths crawlers are asked to leave alone (robots.txt); every such page also says noindex.
PRIVATE_PREFIXES = (
    "/accounts/", "/admin/", "/api/", "/coordinator/", "/dashboard/", "/companies/", "/matching/",
    "/shindan/", "/i18n/", "/showcase/files/",
)  # fmt: skip


# A meta description longer than this is cut by search engines anyway (about two lines of a result).
DESCRIPTION_LIMIT = 160
# Where a shortened description may end: after a sentence or clause, or at a space (Thai separates phrases
# with spaces; Japanese has none, so its 。、 marks count).
_BREAKS = "。、！？!?.;；,，) "
THAI_LEADING_VOWELS = "\u0e40\u0e41\u0e42\u0e43\u0e44"


def meta_description(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` as one line of at most ``limit`` characters for ``<meta name="description">`` and
    ``og:description``: whitespace collapsed; a longer text is cut at the last sentence end, clause mark or
    space in its second half (else at ``limit``), never between a Thai letter and its vowel or tone mark,
    and ends with "…"."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    cut = limit - 1  # room for the ellipsis
    while cut > 0 and unicodedata.category(text[cut]) == "Mn":
        cut -= 1  # text[cut] would start the cut-off part with a mark that belongs to the letter before it
    head = text[:cut].rstrip(THAI_LEADING_VOWELS)  # เ แ โ ใ ไ are written before their consonant
    best = max(head.rfind(mark) for mark in _BREAKS)
    if best >= limit // 2:
        head = head[: best + 1] if head[best] in "。！？!?." else head[:best]
    return head.rstrip(" 、,，;；") + "…"


class LanguageConverter:
    regex = LANGUAGE_PREFIX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def in_url_language(view):
    """Render ``view`` in the language of the URL's ``lang`` (th/ja/en), whatever the viewer's preference."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, lang: str, **kwargs) -> HttpResponse:
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = lang
        _remember_language(request, response, lang)
        return response

    return wrapper


def _remember_language(request: HttpRequest, response: HttpResponse, lang: str) -> None:
    """A visitor who is not signed in keeps the prefixed page's language on the pages it links to (the
    directory's cards, a company's products: unprefixed links, rendered in the cookie's language), as if
    they had chosen it in the switcher. A signed-in person's own preference decides for them."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if signed_in or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) == lang:
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _reverse_public(name: str, kwargs: dict, language: str) -> str | None:
    try:
        return reverse(name, kwargs={**kwargs, "lang": language})
    except NoReverseMatch:
        return None


def seo(request: HttpRequest) -> dict:
    """Context processor: ``seo_canonical`` and ``seo_alternates`` [(language, absolute URL)] on public pages;
    nothing elsewhere (base.html then says noindex)."""
    match = getattr(request, "resolver_match", None)
    if match is None or request.method != "GET":
        return {}
    name = match.view_name
    kwargs = {key: value for key, value in match.kwargs.items() if key != "lang"}
    if name in PUBLIC_TWINS:
        public_name = PUBLIC_TWINS[name]
    elif name.startswith("public:"):
        public_name = name
    elif name == "home":
        return {"seo_canonical": request.build_absolute_uri("/"), "seo_alternates": []}
    else:
        return {}
    alternates = []
    for language in PUBLIC_LANGUAGES:
        path = _reverse_public(public_name, kwargs, language)
        if path is None:
            return {}
        alternates.append((language, request.build_absolute_uri(path)))
    current = translation.get_language()[:2]
    canonical = dict(alternates).get(current, alternates[-1][1])
    return {"seo_canonical": canonical, "seo_alternates": alternates}


def relocalize(path: str, language: str) -> str:
    """``/ja/directory/3/`` → ``/th/directory/3/`` (the language switcher on a prefixed page)."""
    parts = path.split("/", 2)
    if len(parts) == 3 and parts[0] == "" and parts[1] in PUBLIC_LANGUAGES and language in PUBLIC_LANGUAGES:
        return f"/{language}/{parts[2]}"
    return path


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class LocalizedSitemap(Sitemap):
    """Each public object once per language: ``items()`` are (object, language) pairs."""

    url_name = ""
    changefreq = "weekly"
    protocol = None  # the request's (https behind the proxy, http on the embedded default)

    def objects(self):
        raise NotImplementedError

    def url_kwargs(self, obj) -> dict:
        return {"pk": obj.pk}

    def items(self):
        return [(obj, language) for obj in self.objects() for language in PUBLIC_LANGUAGES]

    def location(self, item) -> str:
        obj, language = item
        return reverse(self.url_name, kwargs={**self.url_kwargs(obj), "lang": language})

    def lastmod(self, item):
        return getattr(item[0], "updated_at", None)

    def get_domain(self, site=None):
        # The configured public address (portal/core/links.py) wins over the Sites framework's domain.
        from portal.core.links import base_url

        url = base_url()
        return url.split("://", 1)[-1] if url else super().get_domain(site)

    def get_protocol(self, protocol=None):
        from portal.core.links import base_url

        url = base_url()
        return url.split("://", 1)[0] if "://" in url else (protocol or "https")
