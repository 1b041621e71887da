"""The import's stable contract: its columns, what a row error and a result are."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

COLUMNS = [
    "external_id", "country", "name_en", "name_th", "name_ja", "registration_no", "sector", "region",
    "employees", "annual_revenue", "capital", "currency", "founded", "industries", "capabilities",
    "certifications", "seeking", "requires", "looking_for", "languages", "description_en", "description_th",
    "description_ja", "website", "contact_name", "contact_email", "contact_phone",
]  # fmt: skip
# The only cells that may hold line breaks and tabs (portal/core/text.py); every other is one line.
MULTI_LINE_COLUMNS = {"description_en", "description_th", "description_ja"}
WORKING_LANGUAGES = {"th", "ja", "en"}
SCALAR_FIELDS = [
    "country", "name_en", "name_th", "name_ja", "registration_no", "sector", "region", "employees",
    "annual_revenue", "capital", "currency", "founded_year", "languages", "description_en", "description_th",
    "description_ja", "website", "size_class", "size_basis", "search_text", "verification_status",
    "verified_by", "verified_at", "rejection_reason",
]  # fmt: skip
ANALYZE_AFTER_ROWS = 1_000
# One INSERT per this many rows keeps statements below SQLite's variable limit and bounds memory.
BATCH_SIZE = 500


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


@dataclass
class _Row:
    line: int
    values: dict
    industries: list = field(default_factory=list)
    capabilities: list = field(default_factory=list)
    seeking: list = field(default_factory=list)
    requires: list = field(default_factory=list)
    looking_for: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    contact: dict | None = None
