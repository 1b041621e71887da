"""Every REST endpoint under /api/ (schema at /api/schema/, docs at /api/docs/).

portal stays independent of the apps (DESIGN.md); this module only assembles their routers."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from deals.api import ConversationViewSet as DealConversationViewSet
from deals.api import ProposalViewSet as DealProposalViewSet
from events.api import EventViewSet, MeetingRequestViewSet, ParticipantViewSet
from matching.api import IntroductionViewSet, ProposalViewSet
from portal.accounts.api import ObtainApiTokenView
from portal.companies.api import CompanyViewSet
from portal.postings.api import PostingViewSet
from portal.showcase.api import CompanyProductViewSet, PhotoViewSet
from portal.showcase.api import ProductViewSet as ShowcaseProductViewSet
from portal.taxonomy import api as taxonomy_api
from shindan.api import ActionViewSet as ShindanActionViewSet
from shindan.api import DiagnosisViewSet

router = DefaultRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("postings", PostingViewSet, basename="posting")
router.register("introductions", IntroductionViewSet, basename="introduction")
router.register(r"companies/(?P<company>[0-9]+)/proposals", ProposalViewSet, basename="proposal")
router.register(r"companies/(?P<company>[0-9]+)/products", CompanyProductViewSet, basename="company-product")
router.register("showcase/products", ShowcaseProductViewSet, basename="showcase-product")
router.register("showcase/photos", PhotoViewSet, basename="showcase-photo")
router.register("events", EventViewSet, basename="event")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("meeting-requests", MeetingRequestViewSet, basename="meeting-request")
router.register("shindan/diagnoses", DiagnosisViewSet, basename="diagnosis")
router.register("shindan/actions", ShindanActionViewSet, basename="shindan-action")
router.register("deals/conversations", DealConversationViewSet, basename="deal-conversation")
router.register("deals/proposals", DealProposalViewSet, basename="deal-proposal")
router.register("taxonomy/industries", taxonomy_api.IndustryViewSet, basename="industry")
router.register("taxonomy/capabilities", taxonomy_api.CapabilityViewSet, basename="capability")
router.register("taxonomy/certifications", taxonomy_api.CertificationViewSet, basename="certification")
router.register("taxonomy/looking-for", taxonomy_api.LookingForViewSet, basename="looking-for")
router.register("taxonomy/regions", taxonomy_api.RegionViewSet, basename="region")

urlpatterns = [
    path("auth/token/", ObtainApiTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
