"""REST API of Shindan diagnoses, scoped exactly like the pages (``shindan.rules``):

- ``/api/shindan/diagnoses/``: coordinators see all, consultants the ones they work on, members their
  companies' reported ones; a consultant creates one for a company they are assigned to.
- ``…/{id}/scores/``, ``…/{id}/statements/``, ``…/{id}/actions/``: read with the report permission,
  write with the change permission; ``…/{id}/transition/`` moves the stage.
- ``/api/shindan/actions/{id}/``: PATCH an action's status.
Anything the user may not see answers 404, as for a missing object."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.companies.selectors import company_get_for_user
from portal.core.api import TEXTAREA, PortalModelSerializer, PortalSerializer, call_service, pk_or_404
from portal.core.dates import normalize_input_year
from portal.core.schema import NOT_FOUND
from shindan import selectors, services
from shindan.models import Action, ActionStatus, ChecklistItem, Diagnosis, FinancialStatement, Stage
from shindan.ratios import LINE_ITEMS


class DiagnosisSerializer(PortalModelSerializer):
    company_name = serializers.SerializerMethodField()
    checklist = serializers.CharField(source="checklist.__str__", read_only=True)
    consultants = serializers.SerializerMethodField()

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "company",
            "company_name",
            "checklist",
            "stage",
            "requested_on",
            "site_visit_on",
            "reported_on",
            "closed_on",
            "purpose",
            "stated_needs",
            "conclusion",
            "area_scores",
            "overall_score",
            "revision",
            "consultants",
        ]
        read_only_fields = fields

    def get_company_name(self, diagnosis) -> str:
        return diagnosis.company.display_name()

    def get_consultants(self, diagnosis) -> list[str]:
        return [user.get_full_name() or user.email for user in diagnosis.consultants.all()]


class DiagnosisCreateSerializer(PortalSerializer):
    company = serializers.IntegerField()
    requested_on = serializers.DateField(required=False)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=5000, style=TEXTAREA)
    stated_needs = serializers.CharField(required=False, allow_blank=True, max_length=5000, style=TEXTAREA)


class TransitionSerializer(PortalSerializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ScoreSerializer(PortalSerializer):
    item = serializers.CharField(max_length=20, help_text="Checklist item code, e.g. PRODUCTION-01.")
    value = serializers.ChoiceField(
        choices=["", "na", "1", "2", "3", "4", "5"], help_text='"1"–"5", "na" (N/A) or "" (not assessed).'
    )
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=2000, style=TEXTAREA)


class StatementSerializer(PortalModelSerializer):
    fiscal_year = serializers.IntegerField(help_text="C.E. or B.E. (≥ 2400, converted to C.E.).")

    class Meta:
        model = FinancialStatement
        fields = ["id", "fiscal_year", "period_end", "currency", "unit", *LINE_ITEMS]
        read_only_fields = ["id"]

    def validate_fiscal_year(self, value: int) -> int:
        year = normalize_input_year(value)
        if not 1950 <= year <= 2200:
            raise serializers.ValidationError("Enter a fiscal year in C.E. or B.E.")
        return year


class ActionSerializer(PortalModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "area", "what", "owner", "due_on", "kpi", "status", "done_on", "overdue"]
        read_only_fields = ["id", "status", "done_on", "overdue"]

    def get_overdue(self, action) -> bool:
        return action.is_overdue()


class ActionStatusSerializer(PortalSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class DiagnosisViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DiagnosisSerializer
    permission_classes = [IsAuthenticated]
    queryset = Diagnosis.objects.none()

    def get_queryset(self):
        return selectors.diagnosis_list_for_user(user=self.request.user).order_by("-requested_on", "-pk")

    def get_object(self, permission: str = "shindan.view_report") -> Diagnosis:
        pk = pk_or_404(self.kwargs["pk"])
        return selectors.diagnosis_get_for_user(user=self.request.user, pk=pk, permission=permission)

    def retrieve(self, request, pk=None):
        return Response(DiagnosisSerializer(self.get_object()).data)

    @extend_schema(request=DiagnosisCreateSerializer, responses={201: DiagnosisSerializer, 404: NOT_FOUND})
    def create(self, request):
        serializer = DiagnosisCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        company = company_get_for_user(
            user=request.user, pk=data.pop("company"), permission="shindan.create_diagnosis"
        )
        diagnosis = call_service(services.diagnosis_create, actor=request.user, company=company, **data)
        return Response(DiagnosisSerializer(diagnosis).data, status=201)

    @extend_schema(request=TransitionSerializer, responses=DiagnosisSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        diagnosis = self.get_object("shindan.change_diagnosis")
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        diagnosis = call_service(
            services.diagnosis_transition,
            actor=request.user,
            diagnosis=diagnosis,
            **serializer.validated_data,
        )
        return Response(DiagnosisSerializer(diagnosis).data)

    @extend_schema(methods=["get"], responses=ScoreSerializer(many=True))
    @extend_schema(methods=["post"], request=ScoreSerializer(many=True), responses=DiagnosisSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def scores(self, request, pk=None):
        if request.method == "GET":
            diagnosis = self.get_object()
            rows = diagnosis.item_scores.select_related("item").order_by(
                "item__area__position", "item__position"
            )
            data = [
                {
                    "item": row.item.code,
                    "value": row.value,
                    "evidence": row.evidence,
                }
                for row in rows
            ]
            return Response(data)
        diagnosis = self.get_object("shindan.change_diagnosis")
        serializer = ScoreSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        items = {
            item.code: item
            for item in ChecklistItem.objects.filter(area__checklist=diagnosis.checklist).select_related(
                "area"
            )
        }
        entries = []
        for row in serializer.validated_data:
            if row["item"] not in items:
                raise serializers.ValidationError(
                    {"item": [f"{row['item']} is not on this diagnosis' checklist."]}
                )
            entries.append(
                {"item": items[row["item"]], "value": row["value"], "evidence": row.get("evidence", "")}
            )
        call_service(services.item_scores_save, actor=request.user, diagnosis=diagnosis, entries=entries)
        diagnosis.refresh_from_db()
        return Response(DiagnosisSerializer(diagnosis).data)

    @extend_schema(methods=["get"], responses=StatementSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request=StatementSerializer,
        responses={200: StatementSerializer, 201: StatementSerializer},
        description="Saves the statement of a fiscal year: 201 when it is new, 200 when it replaced one.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def statements(self, request, pk=None):
        if request.method == "GET":
            return Response(StatementSerializer(self.get_object().statements.all(), many=True).data)
        diagnosis = self.get_object("shindan.change_diagnosis")
        serializer = StatementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        existing = diagnosis.statements.filter(fiscal_year=data["fiscal_year"]).first()
        statement = call_service(
            services.statement_save, actor=request.user, diagnosis=diagnosis, statement=existing, **data
        )
        return Response(StatementSerializer(statement).data, status=200 if existing else 201)

    @extend_schema(methods=["get"], responses=ActionSerializer(many=True))
    @extend_schema(methods=["post"], request=ActionSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actions(self, request, pk=None):
        if request.method == "GET":
            return Response(ActionSerializer(self.get_object().actions.all(), many=True).data)
        diagnosis = self.get_object("shindan.change_diagnosis")
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = call_service(
            services.action_add, actor=request.user, diagnosis=diagnosis, **serializer.validated_data
        )
        return Response(ActionSerializer(created).data, status=201)


class ActionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``/api/shindan/actions/{id}/``: read (report permission) and PATCH the status (change permission)."""

    serializer_class = ActionSerializer
    permission_classes = [IsAuthenticated]
    queryset = Action.objects.none()

    def _action(self, permission: str) -> Action:
        return selectors.action_get_for_user(
            user=self.request.user, pk=pk_or_404(self.kwargs["pk"]), permission=permission
        )

    def retrieve(self, request, pk=None):
        return Response(ActionSerializer(self._action("shindan.view_report")).data)

    @extend_schema(request=ActionStatusSerializer, responses=ActionSerializer)
    def partial_update(self, request, pk=None):
        """A PATCH: without ``status`` the status stays (a ``note`` is then a progress update)."""
        action_obj = self._action("shindan.change_diagnosis")
        serializer = ActionStatusSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"status": action_obj.status, **serializer.validated_data}
        updated = call_service(services.action_set_status, actor=request.user, action=action_obj, **data)
        return Response(ActionSerializer(updated).data)
