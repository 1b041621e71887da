"""Read-only taxonomy endpoints (slugs and names in three languages)."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from portal.core.api import PortalModelSerializer
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

NAMES = ["slug", "name_en", "name_th", "name_ja"]


class IndustrySerializer(PortalModelSerializer):
    isic = serializers.ListField(source="isic_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Industry
        fields = [*NAMES, "isic", "is_focus"]


class CapabilitySerializer(PortalModelSerializer):
    class Meta:
        model = Capability
        fields = NAMES


class CertificationSerializer(PortalModelSerializer):
    equivalent_to = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Certification
        fields = [*NAMES, "equivalent_to"]


class LookingForSerializer(PortalModelSerializer):
    class Meta:
        model = LookingFor
        fields = NAMES


class RegionSerializer(PortalModelSerializer):
    in_eec = serializers.BooleanField(read_only=True)

    class Meta:
        model = Region
        fields = ["code", "country", "name_en", "name_th", "name_ja", "in_eec"]


def _viewset(model, serializer, lookup="slug"):
    return type(
        f"{model.__name__}ViewSet",
        (viewsets.ReadOnlyModelViewSet,),
        {
            "queryset": model.objects.all(),
            "serializer_class": serializer,
            "permission_classes": [AllowAny],
            "lookup_field": lookup,
            "pagination_class": None,
        },
    )


IndustryViewSet = _viewset(Industry, IndustrySerializer)
CapabilityViewSet = _viewset(Capability, CapabilitySerializer)
CertificationViewSet = _viewset(Certification, CertificationSerializer)
LookingForViewSet = _viewset(LookingFor, LookingForSerializer)
RegionViewSet = _viewset(Region, RegionSerializer, lookup="code")
