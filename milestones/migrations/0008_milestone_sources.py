"""A milestone's one `source_url` becomes a list of labelled sources, in its history too."""

from django.db import migrations

import core.sources


def label_for(url):
    """The site's name, as a first label the manager can reword: "okc.gov", "kfor.com"."""
    return url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")


def move_sources(apps, schema_editor):
    for name in ("Milestone", "HistoricalMilestone"):
        model = apps.get_model("milestones", name)
        for row in model.objects.exclude(source_url="").only("pk", "source_url").iterator():
            model.objects.filter(pk=row.pk).update(
                sources=[{"label": label_for(row.source_url), "url": row.source_url}]
            )


def move_back(apps, schema_editor):
    for name in ("Milestone", "HistoricalMilestone"):
        model = apps.get_model("milestones", name)
        for row in model.objects.only("pk", "sources").iterator():
            if row.sources:
                model.objects.filter(pk=row.pk).update(source_url=row.sources[0]["url"])


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0007_milestone_date_not_too_early"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmilestone",
            name="sources",
            field=core.sources.SourcesField(),
        ),
        migrations.AddField(
            model_name="milestone",
            name="sources",
            field=core.sources.SourcesField(),
        ),
        migrations.RunPython(move_sources, move_back),
        migrations.RemoveField(
            model_name="historicalmilestone",
            name="source_url",
        ),
        migrations.RemoveField(
            model_name="milestone",
            name="source_url",
        ),
    ]
