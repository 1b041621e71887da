"""``POST /api/auth/token/``: a personal API token for an e-mail address, a password and, when the
account has two-factor authentication, a code. Tokens authenticate in ``authentication.py``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts import mfa, services
from portal.accounts.models import ApiToken
from portal.core.api import PortalModelSerializer, PortalSerializer, as_api_error
from portal.core.schema import ErrorDetailSerializer


class TokenRequestSerializer(PortalSerializer):
    username = serializers.CharField(help_text="The account's e-mail address.", max_length=254)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="A current TOTP code or a recovery code: required when the account has two-factor "
        "authentication.",
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="What the token is for (default: API token).",
    )
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Lifetime in days (default and maximum: the site's PORTAL_API_TOKEN_DAYS and "
        "PORTAL_API_TOKEN_MAX_DAYS, 30 and 90 unless changed).",
    )


class TokenSerializer(PortalModelSerializer):
    token = serializers.CharField(help_text="The secret: shown once, keep it safe.")

    class Meta:
        model = ApiToken
        fields = ["token", "name", "prefix", "created_at", "expires_at"]
        read_only_fields = fields


TOO_MANY = OpenApiResponse(ErrorDetailSerializer, description="Too many failed attempts: try again later.")


class ObtainApiTokenView(APIView):
    """A personal API token for an e-mail address and password, plus a TOTP or recovery code when the
    account has two-factor authentication (consultants, coordinators and admins must have it where the
    site requires it). Shares the login page's rate limits and lockout."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 403: ErrorDetailSerializer, 429: TOO_MANY},
        auth=[{}],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            token, secret = services.api_token_obtain(
                request=request._request,
                email=data["username"],
                password=data["password"],
                code=data.get("code", ""),
                name=data.get("name", ""),
                lifetime_days=data.get("expires_in_days"),
            )
        except mfa.TooManyAttempts as exc:
            raise exceptions.Throttled(detail=str(exc)) from exc
        except services.SecondFactorRequired as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise as_api_error(error) from error
            raise serializers.ValidationError({"non_field_errors": error.messages}) from error
        token.token = secret
        return Response(TokenSerializer(token).data, status=status.HTTP_200_OK)
