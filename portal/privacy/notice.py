"""The privacy notice, by version. A new version is a new template and a new entry here; consents record
the version they were given under, and members are asked again when the current version changes."""

CURRENT_VERSION = "2026-12"
VERSIONS = {
    "2026-11": "privacy/notice_2026_11.html",
    "2026-12": "privacy/notice_2026_12.html",  # the transfer from Japan to Thailand (APPI)
}
