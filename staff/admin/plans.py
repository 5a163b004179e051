"""The city, its plans and the responsible parties.

The city and the plans are the superuser's to edit; the manager may view the plans and add
and change parties (the "Implementation manager" group, staff/migrations).
"""

from django.contrib import admin
from django.db.models import Count, Q

from core.admin import TranslationsAdminMixin, VersionedAdmin
from plans.models import City, Party, Plan


@admin.register(City)
class CityAdmin(TranslationsAdminMixin, VersionedAdmin):
    """The city's names, contact, logo and footer: one record, edited by the superuser."""

    list_display = ["name", "partnership_name", "contact_email"]
    fields = [
        "name",
        "partnership_name",
        "introduction",
        "footer",
        "contact_office",
        ("contact_email", "contact_phone"),
        "contact_address",
        "accessibility_notes",
        ("logo_url", "logo_alt"),
        "export_prefix",
    ]

    def has_add_permission(self, request):
        # One city per install: its record is made once, then edited.
        return super().has_add_permission(request) and not City.objects.exists()


@admin.register(Plan)
class PlanAdmin(TranslationsAdminMixin, VersionedAdmin):
    list_display = [
        "order",
        "name",
        "short_name",
        "slug",
        "received",
        "recommendation_count",
        "is_published",
    ]
    list_display_links = ["name"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    fields = [
        "name",
        "short_name",
        "slug",
        "issued_by",
        ("received_on", "received_precision"),
        ("goal_on", "goal_precision"),
        "source_url",
        "description",
        "order",
        "is_published",
    ]

    def get_queryset(self, request):
        # A GROUP BY query leaves out the model's ordering: name it again.
        return (
            super()
            .get_queryset(request)
            .annotate(recommendation_total=Count("recommendations"))
            .order_by(*Plan._meta.ordering)
        )

    @admin.display(description="received", ordering="received_on")
    def received(self, plan):
        return plan.display_received

    @admin.display(description="recommendations", ordering="recommendation_total")
    def recommendation_count(self, plan):
        return plan.recommendation_total


@admin.register(Party)
class PartyAdmin(TranslationsAdminMixin, VersionedAdmin):
    list_display = ["name", "short_name", "kind", "leads", "supports", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    search_help_text = "Search by words of the name or the short name."
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "short_name", "slug", "kind", "description"]

    def get_queryset(self, request):
        # How many recommendations each leads and supports, in the same query as the rows. A
        # GROUP BY query leaves out the model's ordering: name it again (for the autocomplete).
        return (
            super()
            .get_queryset(request)
            .annotate(
                lead_total=Count("responsibilities", filter=Q(responsibilities__role="lead")),
                support_total=Count("responsibilities", filter=Q(responsibilities__role="support")),
            )
            .order_by(*Party._meta.ordering)
        )

    @admin.display(description="leads", ordering="lead_total")
    def leads(self, party):
        return party.lead_total

    @admin.display(description="supports", ordering="support_total")
    def supports(self, party):
        return party.support_total
