"""Moves the data to the new model, losing nothing:

- each `<field>_es` column goes into the row's `translations` ({"es": {field: text}}), on the
  rows and on their history rows;
- the recommendations and topics (if any) go into one plan, which the superuser then names;
- each recommendation's number becomes its code and its order;
- each free-text lead ("City and OKCPD") becomes one party per name, each a lead.
"""

import re

from django.db import migrations
from django.utils.text import slugify

SPANISH = {
    "Topic": ["name", "description"],
    "Status": ["name", "definition"],
    "Recommendation": ["title", "text", "details"],
    "StatusUpdate": ["note"],
}
PLAN_SLUG = "recommendations"


def _party_names(lead):
    return [name.strip() for name in re.split(r",| and | y ", lead) if name.strip()]


def forwards(apps, schema_editor):
    for model_name, fields in SPANISH.items():
        for name in (model_name, f"Historical{model_name}"):
            model = apps.get_model("recommendations", name)
            for row in model.objects.all().iterator():
                texts = {f: getattr(row, f"{f}_es") for f in fields if getattr(row, f"{f}_es")}
                if texts:
                    row.translations = {**row.translations, "es": texts}
                    row.save(update_fields=["translations"])

    Topic = apps.get_model("recommendations", "Topic")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    if not (Topic.objects.exists() or Recommendation.objects.exists()):
        return  # A new database: the fixtures or the superuser make the plans.
    Plan = apps.get_model("plans", "Plan")
    plan = Plan.objects.create(
        name="Recommendations", short_name="Recommendations", slug=PLAN_SLUG, order=1
    )
    for name in ("Topic", "HistoricalTopic"):
        apps.get_model("recommendations", name).objects.update(plan_id=plan.pk)
    for name in ("Recommendation", "HistoricalRecommendation"):
        for row in apps.get_model("recommendations", name).objects.all().iterator():
            row.plan_id, row.code, row.order = plan.pk, str(row.number), row.number
            row.save(update_fields=["plan", "code", "order"])

    Party = apps.get_model("plans", "Party")
    Responsibility = apps.get_model("recommendations", "Responsibility")
    for rec in Recommendation.objects.all():
        names = _party_names(rec.lead)
        spanish = _party_names(rec.lead_es or "")
        for i, name in enumerate(names):
            party = Party.objects.filter(name=name).first()
            if party is None:
                party = Party.objects.create(name=name, slug=slugify(name)[:80] or f"party-{i}")
                if len(spanish) == len(names) and spanish[i] != name:
                    party.translations = {"es": {"name": spanish[i]}}
                    party.save(update_fields=["translations"])
            Responsibility.objects.get_or_create(recommendation=rec, party=party, role="lead")


def backwards(apps, schema_editor):
    for model_name, fields in SPANISH.items():
        for name in (model_name, f"Historical{model_name}"):
            model = apps.get_model("recommendations", name)
            for row in model.objects.all().iterator():
                spanish = (row.translations or {}).get("es", {})
                for field in fields:
                    setattr(row, f"{field}_es", spanish.get(field, ""))
                row.save(update_fields=[f"{field}_es" for field in fields])
    Recommendation = apps.get_model("recommendations", "Recommendation")
    for rec in Recommendation.objects.all():
        parties = [r.party for r in rec.responsibilities.filter(role="lead").order_by("pk")]
        rec.lead = " and ".join(p.name for p in parties) or rec.lead
        rec.lead_es = " y ".join(
            (p.translations or {}).get("es", {}).get("name", p.name) for p in parties
        )
        rec.save(update_fields=["lead", "lead_es"])


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0007_plans_parties_translations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
