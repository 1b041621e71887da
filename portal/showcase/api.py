"""REST API for showcases, scoped exactly like the pages (portal/showcase/rules.py):

- ``GET /api/companies/{company}/products/``: a company's products in its order, with their photos and
  brochures. Everybody sees the products of a verified company that no coordinator has hidden; the
  company's members and coordinators see all of them (hidden ones with the coordinator's reason). A company
  the user may not see is "not found".
- ``POST /api/companies/{company}/products/``: the company's editors (its members, coordinators) add one.
- ``GET/PATCH/DELETE /api/showcase/products/{id}/``: one product; editors change its texts and tags or
  delete it.
- ``POST /api/showcase/products/{id}/photos/``: editors upload a photo (multipart), checked and re-encoded
  by the same service as the page's form (``portal.showcase.services.photo_add``).
- ``POST /api/showcase/products/{id}/move/`` and ``/api/showcase/photos/{id}/move/`` (``{"direction": "up"}``)
  reorder like the pages' buttons; ``DELETE /api/showcase/photos/{id}/`` deletes a photo.

Every write goes through ``portal/showcase/services.py``; its refusals answer 400 with their message.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from portal.companies.selectors import company_get_for_user
from portal.core.api import (
    TEXTAREA,
    PortalModelSerializer,
    PortalSerializer,
    RulesPermission,
    call_service,
    pk_or_404,
)
from portal.showcase import services
from portal.showcase.models import Product, ProductBrochure, ProductPhoto
from portal.showcase.selectors import (
    photo_get_for_editor,
    product_get_for_editor,
    product_get_for_user,
    product_list_for_company_page,
)
from portal.taxonomy.models import Capability, Industry

TEXT_FIELDS = services.TEXT_FIELDS


def _absolute(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None and url else url


class ProductPhotoSerializer(PortalModelSerializer):
    url = serializers.SerializerMethodField(help_text="The photo at web size (WebP, at most 1600 px).")
    thumbnail_url = serializers.SerializerMethodField(help_text="The thumbnail (WebP, at most 480 px).")

    class Meta:
        model = ProductPhoto
        fields = ["id", "position", "url", "thumbnail_url", "width", "height", "caption_en", "caption_th",
                  "caption_ja"]  # fmt: skip
        read_only_fields = fields

    def get_url(self, photo: ProductPhoto) -> str:
        return _absolute(self, photo.url)

    def get_thumbnail_url(self, photo: ProductPhoto) -> str:
        return _absolute(self, photo.thumbnail_url)


class ProductBrochureSerializer(PortalModelSerializer):
    url = serializers.SerializerMethodField(help_text="The PDF (downloaded as an attachment).")
    preview_url = serializers.SerializerMethodField(help_text="An image of its first page; empty if none.")

    class Meta:
        model = ProductBrochure
        fields = ["id", "title", "size", "url", "preview_url"]
        read_only_fields = fields

    def get_url(self, brochure: ProductBrochure) -> str:
        return _absolute(self, reverse("showcase:brochure", args=[brochure.pk]))

    def get_preview_url(self, brochure: ProductBrochure) -> str:
        return _absolute(self, brochure.preview_url)


class ProductSerializer(PortalModelSerializer):
    company = serializers.PrimaryKeyRelatedField(read_only=True)
    name = serializers.SerializerMethodField(help_text="The name in the request's language, else another.")
    capabilities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    photos = ProductPhotoSerializer(many=True, read_only=True)
    brochures = ProductBrochureSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id", "company", "position", "name", *TEXT_FIELDS, "capabilities", "industries", "photos",
            "brochures", "is_hidden", "moderation_note",
        ]  # fmt: skip
        read_only_fields = fields
        # Read-only fields lose allow_blank; these texts are blank when not given.
        extra_kwargs = {name: {"allow_blank": True} for name in (*TEXT_FIELDS, "moderation_note")}

    def get_name(self, product: Product) -> str:
        return product.display_name()


class ProductWriteSerializer(PortalSerializer):
    """A product's texts (at least one name) and tags (taxonomy slugs); omitted fields stay as they are."""

    name_en = serializers.CharField(max_length=160, required=False, allow_blank=True)
    name_th = serializers.CharField(max_length=160, required=False, allow_blank=True)
    name_ja = serializers.CharField(max_length=160, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=5000, required=False, allow_blank=True, style=TEXTAREA)
    description_th = serializers.CharField(max_length=5000, required=False, allow_blank=True, style=TEXTAREA)
    description_ja = serializers.CharField(max_length=5000, required=False, allow_blank=True, style=TEXTAREA)
    specs_en = serializers.CharField(max_length=2000, required=False, allow_blank=True, style=TEXTAREA)
    specs_th = serializers.CharField(max_length=2000, required=False, allow_blank=True, style=TEXTAREA)
    specs_ja = serializers.CharField(max_length=2000, required=False, allow_blank=True, style=TEXTAREA)
    capabilities = serializers.SlugRelatedField(
        slug_field="slug", queryset=Capability.objects.all(), many=True, required=False
    )
    industries = serializers.SlugRelatedField(
        slug_field="slug", queryset=Industry.objects.all(), many=True, required=False
    )


class PhotoUploadSerializer(PortalSerializer):
    photo = serializers.FileField(help_text="PNG, JPEG or WebP; checked by content, location data removed.")
    caption_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    caption_th = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    caption_ja = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MoveSerializer(PortalSerializer):
    direction = serializers.ChoiceField(
        choices=["up", "down"], help_text="Swap with the previous (up) or the next (down) item."
    )


COMPANY = OpenApiParameter("company", int, "path", description="The company's id.")


class CompanyProductViewSet(viewsets.ViewSet):
    """``/api/companies/{company}/products/``: the company's showcase, in its order (not paginated: a company
    has at most ``PORTAL_SHOWCASE_MAX_PRODUCTS`` products)."""

    permission_classes = [RulesPermission]
    permission_map = {"list": None, "create": "authenticated:"}

    @extend_schema(parameters=[COMPANY], responses=ProductSerializer(many=True))
    def list(self, request, company=None):
        target = company_get_for_user(user=request.user, pk=pk_or_404(company))
        products = product_list_for_company_page(user=request.user, company=target)
        return Response(ProductSerializer(products, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[COMPANY],
        request=ProductWriteSerializer,
        responses={201: ProductSerializer},
        description="Add a product after the company's others (its editors: members and coordinators).",
    )
    def create(self, request, company=None):
        target = company_get_for_user(
            user=request.user, pk=pk_or_404(company), permission="showcase.manage_showcase"
        )
        serializer = ProductWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = call_service(services.product_create, company=target, **serializer.validated_data)
        return Response(self._read(request, product.pk), status=201)

    @staticmethod
    def _read(request, pk: int) -> dict:
        product = product_get_for_user(user=request.user, pk=pk)
        return ProductSerializer(product, context={"request": request}).data


class ProductViewSet(viewsets.GenericViewSet):
    """``/api/showcase/products/{id}/``: one product, for whoever may see it on the pages."""

    permission_classes = [RulesPermission]
    permission_map = {
        "retrieve": None,
        "partial_update": "authenticated:showcase.edit_product",
        "destroy": "authenticated:showcase.edit_product",
        "photos": "authenticated:showcase.edit_product",
        "move": "authenticated:showcase.edit_product",
    }
    queryset = Product.objects.none()  # every read goes through a selector (the schema reads the id's type)
    serializer_class = ProductSerializer

    @extend_schema(responses=ProductSerializer)
    def retrieve(self, request, pk=None):
        return Response(CompanyProductViewSet._read(request, pk_or_404(pk)))

    @extend_schema(
        request=ProductWriteSerializer,
        responses=ProductSerializer,
        description="Change the product's texts and tags (the fields given; the others stay).",
    )
    def partial_update(self, request, pk=None):
        product = product_get_for_editor(user=request.user, pk=pk_or_404(pk))
        serializer = ProductWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        call_service(services.product_update, product=product, **serializer.validated_data)
        return Response(CompanyProductViewSet._read(request, product.pk))

    @extend_schema(responses={204: None}, description="Delete the product with its photos and brochures.")
    def destroy(self, request, pk=None):
        product = product_get_for_editor(user=request.user, pk=pk_or_404(pk))
        call_service(services.product_delete, product=product)
        return Response(status=204)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: ProductPhotoSerializer},
        description="Add a photo (multipart) after the product's others; the same checks as the page's form.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        product = product_get_for_editor(user=request.user, pk=pk_or_404(pk))
        serializer = PhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        photo = call_service(
            services.photo_add,
            product=product,
            upload=data["photo"],
            caption_en=data["caption_en"],
            caption_th=data["caption_th"],
            caption_ja=data["caption_ja"],
        )
        return Response(ProductPhotoSerializer(photo, context={"request": request}).data, status=201)

    @extend_schema(
        request=MoveSerializer,
        responses=ProductSerializer(many=True),
        description="Move the product up or down in its company's list; answers the list in its new order.",
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def move(self, request, pk=None):
        product = product_get_for_editor(user=request.user, pk=pk_or_404(pk))
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(services.product_move, product=product, direction=serializer.validated_data["direction"])
        products = product_list_for_company_page(user=request.user, company=product.company)
        return Response(ProductSerializer(products, many=True, context={"request": request}).data)


class PhotoViewSet(viewsets.GenericViewSet):
    """``/api/showcase/photos/{id}/``: a product's photo, for the company's editors (members and staff)."""

    permission_classes = [RulesPermission]
    permission_map = {
        "destroy": "authenticated:showcase.edit_product",
        "move": "authenticated:showcase.edit_product",
    }
    queryset = (
        ProductPhoto.objects.none()
    )  # every read goes through a selector (the schema reads the id's type)
    serializer_class = ProductPhotoSerializer

    @extend_schema(responses={204: None}, description="Delete the photo and its files.")
    def destroy(self, request, pk=None):
        photo = photo_get_for_editor(user=request.user, pk=pk_or_404(pk))
        call_service(services.photo_delete, photo=photo)
        return Response(status=204)

    @extend_schema(
        request=MoveSerializer,
        responses=ProductPhotoSerializer(many=True),
        description="Move the photo up or down among its product's photos (the first one is shown on cards); "
        "answers the photos in their new order.",
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def move(self, request, pk=None):
        photo = photo_get_for_editor(user=request.user, pk=pk_or_404(pk))
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call_service(services.photo_move, photo=photo, direction=serializer.validated_data["direction"])
        photos = ProductPhoto.objects.filter(product_id=photo.product_id).order_by("position", "pk")
        return Response(ProductPhotoSerializer(photos, many=True, context={"request": request}).data)
