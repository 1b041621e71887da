"""REST API of events: public events; a member's participations, meeting requests and agenda;
coordinators see every participant and request of an event. Anything not visible answers 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from events import selectors, services
from events.models import Delegation, Event, MeetingReport, MeetingRequest, Outcome, Participant
from portal.core.api import TEXTAREA, PortalModelSerializer, PortalSerializer, call_service, pk_or_404
from portal.core.schema import NOT_FOUND


class DelegationNameSerializer(PortalModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = ["id", "name", "name_en", "name_th", "name_ja", "country"]
        read_only_fields = fields

    def get_name(self, delegation) -> str:
        return delegation.name()


class EventSerializer(PortalModelSerializer):
    name = serializers.SerializerMethodField()
    venue = serializers.SerializerMethodField()
    organiser = serializers.SerializerMethodField()
    delegations = DelegationNameSerializer(many=True, read_only=True)
    is_past = serializers.BooleanField(
        source="is_over", read_only=True, help_text="The last day is over: requests and answers are closed."
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "name_en",
            "name_th",
            "name_ja",
            "venue",
            "venue_en",
            "venue_th",
            "venue_ja",
            "organiser",
            "organiser_en",
            "organiser_th",
            "organiser_ja",
            "delegations",
            "starts_on",
            "ends_on",
            "time_zone",
            "is_past",
        ]
        read_only_fields = fields

    def get_name(self, event) -> str:
        return event.name()

    def get_venue(self, event) -> str:
        """In the request's language, falling back to what exists (like ``name``)."""
        return event.venue()

    def get_organiser(self, event) -> str:
        return event.organiser()


class ParticipantSerializer(PortalModelSerializer):
    company_name = serializers.SerializerMethodField()
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "event", "company", "company_name", "kind", "status", "booth", "delegation"]
        read_only_fields = fields

    def get_company_name(self, participant) -> str:
        return participant.company.display_name()


class MeetingRequestSerializer(PortalModelSerializer):
    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "sender",
            "recipient",
            "message",
            "status",
            "decline_reason",
            "must_meet",
            "expires_at",
            "responded_at",
        ]
        read_only_fields = fields


class MeetingRequestCreateSerializer(PortalSerializer):
    sender = serializers.IntegerField(help_text="Your company's participant id.")
    recipient = serializers.IntegerField()
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000, style=TEXTAREA)


class AnswerSerializer(PortalSerializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class MeetingReportSerializer(PortalModelSerializer):
    """A side's own report on a meeting; the rating is private to that company and the coordinators."""

    outcome = serializers.ChoiceField(choices=[c for c in Outcome.choices if c[0]])
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, style=TEXTAREA)

    class Meta:
        model = MeetingReport
        fields = ["meeting", "outcome", "rating", "note", "updated_at"]
        read_only_fields = ["meeting", "updated_at"]


class AgendaItemSerializer(PortalSerializer):
    meeting = serializers.IntegerField(source="meeting.pk")
    starts_at = serializers.DateTimeField(source="meeting.slot.starts_at")
    ends_at = serializers.DateTimeField(source="meeting.slot.ends_at")
    table = serializers.CharField(source="meeting.table")
    counterpart = serializers.CharField(source="other.company.display_name")
    interpreter = serializers.CharField(source="meeting.interpreter.name", allow_null=True, default=None)
    score = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    report = MeetingReportSerializer(allow_null=True, read_only=True, help_text="This company's own report.")


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """``/api/events/``: public events, by slug."""

    serializer_class = EventSerializer
    permission_classes = []
    lookup_field = "slug"
    queryset = Event.objects.none()

    def get_queryset(self):
        return selectors.event_list_public().prefetch_related("delegations")


class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``/api/participants/``: the user's companies' participations (coordinators: all)."""

    serializer_class = ParticipantSerializer
    permission_classes = [IsAuthenticated]
    queryset = Participant.objects.none()

    def get_queryset(self):
        return selectors.participant_list_for_user(user=self.request.user)

    def get_object(self):
        return selectors.participant_get_for_user(
            user=self.request.user, pk=pk_or_404(self.kwargs["pk"]), permission="events.view_agenda"
        )

    @extend_schema(responses=AgendaItemSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def agenda(self, request, pk=None):
        participant = self.get_object()
        return Response(AgendaItemSerializer(selectors.agenda_for(participant), many=True).data)

    @extend_schema(request=MeetingReportSerializer, responses={200: MeetingReportSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "put"], url_path=r"meetings/(?P<meeting_pk>[0-9]+)/report")
    def report(self, request, pk=None, meeting_pk=None):
        """``GET``: the company's own report on one of its meetings (empty before there is one); ``PUT``:
        record or change it. Members of the meeting's two companies only; anyone else gets 404."""
        participant = selectors.participant_get_for_user(
            user=request.user, pk=pk_or_404(pk), permission="events.act_for_participant"
        )
        participant, meeting = selectors.meeting_to_report_for_user(
            user=request.user, event=participant.event, pk=participant.pk, meeting_pk=pk_or_404(meeting_pk)
        )
        if request.method == "GET":
            report = meeting.reports.filter(participant=participant).first()
            # Not reported yet: an empty report (outcome "", no date), not a 404, which means "not yours".
            return Response(MeetingReportSerializer(report or MeetingReport(meeting=meeting)).data)
        serializer = MeetingReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = call_service(
            services.meeting_report_save,
            actor=request.user,
            meeting=meeting,
            participant=participant,
            **serializer.validated_data,
        )
        return Response(MeetingReportSerializer(saved).data)


class MeetingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``/api/meeting-requests/``: requests sent or received by the user's companies (coordinators: all);
    ``POST`` sends one, ``POST …/{id}/answer/`` accepts or declines (recipient only)."""

    serializer_class = MeetingRequestSerializer
    permission_classes = [IsAuthenticated]
    queryset = MeetingRequest.objects.none()

    def get_queryset(self):
        return selectors.meeting_request_list_for_user(user=self.request.user)

    def get_object(self):
        return selectors.meeting_request_get_for_user(user=self.request.user, pk=pk_or_404(self.kwargs["pk"]))

    @extend_schema(
        request=MeetingRequestCreateSerializer, responses={201: MeetingRequestSerializer, 404: NOT_FOUND}
    )
    def create(self, request):
        serializer = MeetingRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sender = selectors.participant_get_for_user(
            user=request.user, pk=data["sender"], permission="events.act_for_participant"
        )
        recipient = selectors.participant_get_for_user(
            user=request.user, pk=data["recipient"], event=sender.event, permission=None
        )
        created = call_service(
            services.meeting_request_create,
            actor=request.user, sender=sender, recipient=recipient, message=data.get("message", ""),
        )  # fmt: skip
        return Response(MeetingRequestSerializer(created).data, status=201)

    @extend_schema(request=AnswerSerializer, responses=MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        meeting_request = selectors.meeting_request_get_for_user(
            user=request.user, pk=pk_or_404(pk), permission="events.answer_request"
        )
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = call_service(
            services.meeting_request_respond,
            actor=request.user,
            meeting_request=meeting_request,
            **serializer.validated_data,
        )
        return Response(MeetingRequestSerializer(answered).data)
