"""The ``STORAGES`` entries for ``PORTAL_STORAGE=s3``, built from environment variables (every one is in
.env.example). Plain Python, so settings.py and the tests build the very same configuration."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}


def s3_storages(env: Mapping[str, str]) -> tuple[dict, dict, list[str]]:
    """``(STORAGES["default"], STORAGES["private"], image origins for the CSP)``."""
    public_bucket = env.get("S3_PUBLIC_BUCKET", "")
    private_bucket = env.get("S3_PRIVATE_BUCKET", "") or public_bucket
    public_prefix = (env.get("S3_PUBLIC_PREFIX", "") or "media").strip("/")
    private_prefix = (env.get("S3_PRIVATE_PREFIX", "") or "private").strip("/")
    if not public_bucket:
        raise ImproperlyConfigured("PORTAL_STORAGE=s3 needs S3_PUBLIC_BUCKET (and S3_PRIVATE_BUCKET).")
    if private_bucket == public_bucket and (
        private_prefix == public_prefix
        or private_prefix.startswith(public_prefix + "/")
        or public_prefix.startswith(private_prefix + "/")
    ):
        raise ImproperlyConfigured(
            "Private and public files share a bucket: give them separate prefixes "
            "(S3_PRIVATE_PREFIX, S3_PUBLIC_PREFIX), or better, separate buckets."
        )
    endpoint = env.get("AWS_S3_ENDPOINT_URL", "").rstrip("/")
    region = env.get("AWS_S3_REGION_NAME", "") or None
    common = {
        # Empty = AWS itself; MinIO and other S3-compatible servers: their URL (path-style addressing).
        "endpoint_url": endpoint or None,
        "region_name": region,
        # Empty = boto3's own chain (an instance or task role, ~/.aws); never written to the repo.
        "access_key": env.get("AWS_ACCESS_KEY_ID", "") or None,
        "secret_key": env.get("AWS_SECRET_ACCESS_KEY", "") or None,
        "addressing_style": env.get("AWS_S3_ADDRESSING_STYLE", "") or ("path" if endpoint else None),
        "signature_version": "s3v4",
        # Two uploads with the same name keep both (django-storages' default would overwrite the first).
        "file_overwrite": False,
        # Reads are buffered in memory up to this size, then in a temporary file.
        "max_memory_size": 2 * 1024 * 1024,
    }
    custom_domain = env.get("S3_PUBLIC_CUSTOM_DOMAIN", "").strip().strip("/")
    # "http:" only for a local MinIO reached without TLS (docker-compose.yml).
    protocol = env.get("AWS_S3_URL_PROTOCOL", "") or "https:"
    public = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": public_bucket,
            "location": public_prefix,
            # A CDN (or any host that serves the public prefix), e.g. cdn.example.org.
            "custom_domain": custom_domain or None,
            "url_protocol": protocol,
            # Public files are anybody's: a bucket policy opens the public prefix, so their URLs are plain.
            # 1 = a closed bucket: signed URLs, valid an hour.
            "querystring_auth": env.get("S3_PUBLIC_QUERYSTRING_AUTH", "").strip().lower() in _TRUE,
            # Only for buckets that still use ACLs (e.g. "public-read"); empty = no ACL sent.
            "default_acl": env.get("S3_PUBLIC_ACL", "") or None,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    private = {
        "BACKEND": "portal.core.s3.PrivateS3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": private_bucket,
            "location": private_prefix,
            # No ACL is ever sent: objects keep the bucket's owner-only default. No URL either.
            "default_acl": None,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
    if custom_domain:
        origins = [f"{protocol}//{custom_domain.split('/')[0]}"]
    elif endpoint:
        origins = ["/".join(endpoint.split("/")[:3])]
    else:
        origins = [
            f"https://{public_bucket}.s3.amazonaws.com",
            f"https://{public_bucket}.s3.{region or 'us-east-1'}.amazonaws.com",
        ]
    return public, private, origins
