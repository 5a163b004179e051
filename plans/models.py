"""The city, its plans and the parties responsible: what makes the portal any city's.

One install serves one city today. Its names, contact and footer are a City record the
superuser edits (docs/new-city.md). Several cities in one install, each on its own domain,
would add a `city` to Plan and Party and pick the city by the request's host: an addition.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.dates import Precision, display_date, validate_not_too_early
from core.translations import Translatable
from core.versioning import version_field


class City(Translatable):
    """Who publishes this portal, in the words shown on every page."""

    translated_fields = (
        "name",
        "partnership_name",
        "introduction",
        "footer",
        "contact_office",
        "contact_address",
        "accessibility_notes",
    )

    name = models.CharField(max_length=120, help_text="The city, e.g. Oklahoma City.")
    partnership_name = models.CharField(
        max_length=200,
        help_text="The site's name in the header and page titles, e.g. "
        "“Oklahoma City Public Safety Partnership”.",
    )
    introduction = models.TextField(
        blank=True, help_text="A few sentences under the home page's heading: what this is."
    )
    footer = models.TextField(
        blank=True, help_text="The words at the foot of every page, e.g. who publishes the data."
    )
    contact_email = models.EmailField(
        blank=True, help_text="Where residents write about the portal; shown in the footer."
    )
    # The contact and accessibility pages (templates/contact.html, accessibility.html) print
    # these; left empty, they say that no contact is published and point to the feedback form.
    contact_office = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who runs the portal, e.g. “Office of the City Manager”.",
    )
    contact_phone = models.CharField(
        max_length=40, blank=True, help_text="A telephone number residents may call."
    )
    contact_address = models.TextField(
        blank=True, help_text="A postal address, as it should be printed (one line each)."
    )
    accessibility_notes = models.TextField(
        blank=True,
        help_text="Barriers the city knows of and when it plans to remove them; added to the "
        "accessibility statement.",
    )
    logo_url = models.CharField(
        max_length=500,
        blank=True,
        help_text="A logo's address: a path on this site (/static/...) or https://...",
    )
    logo_alt = models.CharField(
        max_length=200, blank=True, help_text="What the logo shows, for screen readers."
    )
    export_prefix = models.SlugField(
        max_length=40, default="portal", help_text="Start of every download's file name."
    )
    version = version_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "city"

    def __str__(self):
        return self.name

    def clean(self):
        if self.logo_url and not self.logo_url.startswith(("/", "https://")):
            raise ValidationError(
                {"logo_url": "Give a path on this site (starting with /) or an https:// address."}
            )
        if self.logo_url and not self.logo_alt:
            raise ValidationError({"logo_alt": "Say what the logo shows, for screen readers."})

    @classmethod
    def current(cls):
        """The city this install publishes for: the one record, or (before the superuser or a
        fixture has made one) an unsaved record built from the PORTAL_CITY setting."""
        city = cls.objects.order_by("pk").first()
        if city is None:
            name = settings.PORTAL_CITY
            city = cls(name=name, partnership_name=f"{name} progress portal")
        return city


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        return self if user.is_staff else self.published()

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Plan(Translatable):
    """One set of recommendations from one source: a task force's report, a consent decree, a
    set of pilots. Topics and recommendations belong to a plan."""

    translated_fields = ("name", "short_name", "issued_by", "description")

    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=60, help_text="A few words for menus and tables, e.g. “2022 recommendations”."
    )
    slug = models.SlugField(max_length=80, unique=True, help_text="Its identifier in addresses.")
    issued_by = models.CharField(
        max_length=200, blank=True, help_text="The body that issued it, e.g. a task force."
    )
    received_on = models.DateField(
        validators=[validate_not_too_early],
        null=True,
        blank=True,
        help_text="When the city received it (any day of the month or year "
        "if only that is known; the precision says).",
    )
    received_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    goal_on = models.DateField(
        validators=[validate_not_too_early],
        null=True,
        blank=True,
        help_text="A goal date the source sets for the whole plan, if any.",
    )
    goal_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    source_url = models.URLField(
        max_length=500, blank=True, help_text="The source document or page."
    )
    description = models.TextField(blank=True, help_text="Public text: what this plan is.")
    order = models.PositiveSmallIntegerField(
        default=1, help_text="Plans are listed in this order; the first is the main one."
    )
    is_published = models.BooleanField(default=True)
    version = version_field()

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_precision__in=Precision.values)
                & models.Q(goal_precision__in=Precision.values),
                name="plan_precision_valid",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("pages:plan", args=[self.slug])

    @property
    def display_received(self):
        return display_date(self.received_on, self.received_precision) if self.received_on else ""

    @property
    def display_goal(self):
        return display_date(self.goal_on, self.goal_precision) if self.goal_on else ""


class PartyQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def leading(self, recommendations):
        """The parties that lead any of `recommendations`, each once, in name order."""
        return self.filter(
            responsibilities__role="lead", responsibilities__recommendation__in=recommendations
        ).distinct()


class PartyKind(models.TextChoices):
    DEPARTMENT = "department", "Department"
    OFFICE = "office", "Office"
    PARTNER = "partner", "Partner"
    OTHER = "other", "Other"


class Party(Translatable):
    """A department, office or partner that carries out recommendations."""

    translated_fields = ("name", "short_name", "description")

    name = models.CharField(max_length=200, unique=True, help_text="Its full name.")
    short_name = models.CharField(
        max_length=60, blank=True, help_text="How pages name it in short, e.g. OKCPD."
    )
    slug = models.SlugField(max_length=80, unique=True, help_text="Its identifier in addresses.")
    kind = models.CharField(max_length=20, choices=PartyKind.choices, default=PartyKind.DEPARTMENT)
    description = models.TextField(blank=True)
    version = version_field()

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PartyKind.values),
                name="party_kind_valid",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def translated_label(self):
        """The short name where there is one, else the name, in the active language."""
        short = self.translated("short_name")
        return short if short.text else self.translated("name")
