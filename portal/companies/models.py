"""SME companies: the profile, certificates, contacts (private), members and join requests; import jobs."""

import datetime
import unicodedata
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.companies.identifiers import format_registration_number
from portal.core.i18n import language_order, pick, pick_with_language
from portal.core.models import TimeStampedModel
from portal.core.storage import private_storage


class Country(models.TextChoices):
    THAILAND = "TH", _("Thailand")
    JAPAN = "JP", _("Japan")


class Sector(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    WHOLESALE = "wholesale", _("Wholesale")
    RETAIL = "retail", _("Retail")
    SERVICES = "services", _("Services")


class Currency(models.TextChoices):
    THB = "THB", _("Thai baht (THB)")
    JPY = "JPY", _("Japanese yen (JPY)")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium-sized enterprise")
    LARGE = "large", _("Large enterprise")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Endorser(models.TextChoices):
    DIP = "dip", _("DIP (Department of Industrial Promotion)")
    SMRJ = "smrj", _("SMRJ (Organization for SME and Regional Innovation)")
    KEIDANREN = "keidanren", _("Keidanren")
    BOI = "boi", _("BOI (Thailand Board of Investment)")
    JETRO = "jetro", _("JETRO")
    FTI = "fti", _("Federation of Thai Industries")
    OTHER = "other", _("Other organisation")


e164_validator = RegexValidator(
    r"^\+[1-9][0-9]{7,14}$", _("Enter the phone number in international format, e.g. +6621234567.")
)


class CompanyQuerySet(models.QuerySet):
    def verified(self) -> "CompanyQuerySet":
        return self.filter(verification_status=VerificationStatus.VERIFIED)

    def pending(self) -> "CompanyQuerySet":
        return self.filter(verification_status=VerificationStatus.PENDING)

    def in_eec(self) -> "CompanyQuerySet":
        return self.filter(region__code__in=settings.PORTAL_EEC_PROVINCES)


# Legal forms around a Thai or Japanese company's name, left out of its logo placeholder's initial.
LEGAL_FORMS = (
    "ห้างหุ้นส่วนจำกัด", "บริษัท", "จำกัด", "(มหาชน)", "หจก.", "บจก.",
    "株式会社", "有限会社", "合同会社", "合資会社", "（株）", "(株)", "㈱",
)  # fmt: skip


class Company(TimeStampedModel):
    external_id = models.CharField(
        _("external ID"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("Identifier in the system the company was imported from."),
    )  # fmt: skip
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    registration_no = models.CharField(
        _("registration number"),
        max_length=13,
        help_text=_("Thai juristic person number or Japanese corporate number (13 digits)."),
    )
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.MANUFACTURING
    )
    region = models.ForeignKey(
        "taxonomy.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    capital = models.DecimalField(
        _("registered capital"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.THB)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    industries = models.ManyToManyField("taxonomy.Industry", verbose_name=_("industries"), blank=True)
    capabilities = models.ManyToManyField(
        "taxonomy.Capability", verbose_name=_("capabilities"), blank=True, related_name="companies"
    )
    seeking = models.ManyToManyField(
        "taxonomy.Capability", verbose_name=_("capabilities sought"), blank=True, related_name="sought_by"
    )
    requires = models.ManyToManyField(
        "taxonomy.Certification",
        verbose_name=_("certifications required of partners"),
        blank=True,
        related_name="required_by",
    )
    looking_for = models.ManyToManyField("taxonomy.LookingFor", verbose_name=_("looking for"), blank=True)
    languages = models.CharField(
        _("working languages"), max_length=20, blank=True, help_text=_("Comma-separated: th, ja, en.")
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    # One line a partner reads on every card (and search engines as the page's description).
    pitch_en = models.CharField(_("one-line pitch (English)"), max_length=160, blank=True)
    pitch_th = models.CharField(_("one-line pitch (Thai)"), max_length=160, blank=True)
    pitch_ja = models.CharField(_("one-line pitch (Japanese)"), max_length=160, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    size_class = models.CharField(_("size class"), max_length=8, choices=SizeClass.choices, blank=True)
    size_basis = models.CharField(_("size class basis"), max_length=40, blank=True)
    verification_status = models.CharField(
        _("verification status"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    endorsed_by = models.CharField(_("endorsed by"), max_length=16, choices=Endorser.choices, blank=True)
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True)
    # Every searchable text of the company (names, descriptions, postings and its taxonomy terms in all three
    # languages), casefolded; rebuilt by services on each write. Trigram-indexed on PostgreSQL.
    search_text = models.TextField(editable=False, blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name_en", "name_th", "name_ja", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_no"], name="company_unique_registration"
            ),
            models.CheckConstraint(
                condition=~Q(name_en="") | ~Q(name_th="") | ~Q(name_ja=""), name="company_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(registration_no__regex=r"^[0-9]{13}$"), name="company_reg_13_digits"
            ),
            models.CheckConstraint(
                condition=~Q(verification_status=VerificationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="company_rejection_has_reason",
            ),
        ]
        indexes = [
            # A country's verified companies; with updated_at, the matching snapshots' freshness check (their
            # count and last change, matching/features/loading.py) is one index-only scan, not a table scan.
            models.Index(
                fields=["verification_status", "country", "updated_at"], name="company_country_changed"
            ),
            # The directory's order (verified companies by name): keeps "page 1 of 50,000" an index walk.
            models.Index(
                fields=["verification_status", "name_en", "name_th", "name_ja", "id"],
                name="company_directory_order",
            ),
            # The verified companies' ids alone: a taxonomy filter's count joins them with the term's links
            # (migration 0007) by two index-only scans (312 pages read at 40,000 companies, not 1,143).
            models.Index(fields=["verification_status", "id"], name="company_verified_id"),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the active one), falling back to what exists."""
        return pick(self, "name", language)

    def description(self, language: str | None = None) -> tuple[str, str]:
        """(text, its language) in the viewer's language order."""
        return pick_with_language(self, "description", language)

    def pitch(self, language: str | None = None) -> tuple[str, str]:
        """(one-line pitch, its language) in the viewer's language order."""
        return pick_with_language(self, "pitch", language)

    @property
    def initials(self) -> str:
        """Up to two letters for the logo placeholder: initials of the English name's words, else the first
        character of the Thai or Japanese name."""
        words = [word for word in self.name_en.replace("-", " ").split() if word[:1].isalnum()]
        skip = {"co.,", "co.", "ltd.", "ltd", "inc.", "k.k.", "the", "company", "limited", "co.,ltd."}
        words = [word for word in words if word.lower() not in skip] or words
        if words:
            return "".join(word[0] for word in words[:2]).upper()
        name = self.name_th or self.name_ja
        for form in LEGAL_FORMS:  # บริษัท …, 株式会社 …: every Thai or Japanese company would read บ or 株
            name = name.replace(form, " ")
        name = name.strip() or self.name_th or self.name_ja
        # A Thai letter with its leading vowel (เม, not เ) and the marks above or below it (ที่, not ท)
        end = 2 if name[:1] in "\u0e40\u0e41\u0e42\u0e43\u0e44" else 1
        while end < len(name) and unicodedata.category(name[end]) == "Mn":
            end += 1
        return name[:end]

    def descriptions(self) -> list[tuple[str, str]]:
        """Every description written, as (language, text), the viewer's language first (for vetting)."""
        return [
            (code, text) for code in language_order() if (text := getattr(self, f"description_{code}", ""))
        ]

    @property
    def registration_no_display(self) -> str:
        return format_registration_number(self.country, self.registration_no)

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def in_eec(self) -> bool:
        return self.region_id is not None and self.region.in_eec

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def vetting_agency(self) -> str:
        """Who vets the company: DIP for Thai companies, SMRJ for Japanese ones (shown to new members)."""
        return (Endorser.DIP if self.country == Country.THAILAND else Endorser.SMRJ).label


class CertificateQuerySet(models.QuerySet):
    def valid(self, on: datetime.date | None = None) -> "CertificateQuerySet":
        """Certificates that count: no expiry date, or expiring today or later."""
        on = on or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


class CompanyCertification(TimeStampedModel):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="certificates")
    certification = models.ForeignKey(
        "taxonomy.Certification", verbose_name=_("certification"), on_delete=models.PROTECT
    )
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issuer = models.CharField(_("issued by"), max_length=120, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["company_id", "certification__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "certification"], name="certificate_unique_per_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} ({self.number})" if self.number else str(self.certification)

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        return self.expires_on is None or self.expires_on >= (day or timezone.localdate())


class CompanyContact(TimeStampedModel):
    """A contact person: personal data (PDPA), shown only to those allowed by ``companies.view_contacts``."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=16, blank=True, validators=[e164_validator])
    is_primary = models.BooleanField(_("primary contact"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["company_id", "-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["company_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the owner")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(TimeStampedModel):
    """A user asks to join an existing company; an owner approves or declines."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message to the owner"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=Q(status="pending"),
                name="join_request_one_pending_per_user_company",
            )
        ]

    @property
    def requester_label(self) -> str:
        """Who asks: "Kenji Kato (kenji@example.jp)", or the address alone when no name is given."""
        name = self.user.get_full_name()
        return f"{name} ({self.user.email})" if name else self.user.email

    def __str__(self) -> str:
        return f"{self.user} → {self.company} ({self.status})"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Writing the companies")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Not imported")


def _import_file_path(instance: "ImportJob", filename: str) -> str:
    """A random name: the uploaded file's own name is kept on the job, never used as a path."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportJob(TimeStampedModel):
    """One upload on the coordinators' import page, imported by a worker (inline on the embedded default).

    The file lives in private storage until the job is finished (then it is deleted, after commit). The
    import itself is one transaction: a job that fails or whose worker dies has written nothing. Progress
    (``rows_done`` of ``rows_total`` in the current phase) and ``heartbeat_at`` are written from outside
    that transaction (portal/core/heartbeat.py), so the job page can follow it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=_import_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    language = models.CharField(_("language of the messages"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    companies_created = models.PositiveIntegerField(_("companies created"), default=0)
    companies_updated = models.PositiveIntegerField(_("companies updated"), default=0)
    # [{"line": 3, "column": "country", "message": "Use TH or JP."}, ...], at most MAX_STORED_ERRORS.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    MAX_STORED_ERRORS = 1000
    FINISHED = (ImportJobStatus.SUCCEEDED, ImportJobStatus.FAILED)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        """Checking is the first 40 % of the bar, writing the rest."""
        if self.is_finished:
            return 100
        share = self.rows_done / self.rows_total if self.rows_total else 0
        if self.status == ImportJobStatus.CHECKING:
            return int(40 * share)
        if self.status == ImportJobStatus.WRITING:
            return 40 + int(60 * share)
        return 0
