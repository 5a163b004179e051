"""The Spanish names and definitions of Oklahoma City's status scale (unofficial translations
awaiting the city's review). Only empty Spanish columns are filled, so a superuser's own
wording is kept."""

from django.db import migrations

SCALE_ES = {
    "on-hold": (
        "En pausa",
        "El trabajo no ha comenzado o está en pausa. No se ha fijado una fecha de inicio y la "
        "fecha de finalización está por determinar. Se cuenta como no iniciada.",
    ),
    "initiation": ("Inicio", "El trabajo sobre la recomendación ha comenzado."),
    "planning": (
        "Planificación",
        "Se ha redactado un plan de acción y los responsables lo están llevando a cabo.",
    ),
    "approaching-implementation": (
        "Cerca de la implementación",
        "El trabajo del plan de acción está terminado y se está revisando para confirmar que "
        "cumple la recomendación.",
    ),
    "full-implementation": (
        "Implementación completa",
        "La revisión ha confirmado que la recomendación se ha llevado a cabo por completo.",
    ),
    "evaluation": (
        "Evaluación",
        "La recomendación está implementada y ahora se están evaluando sus resultados.",
    ),
}


def add_spanish(apps, schema_editor):
    Status = apps.get_model("recommendations", "Status")
    for status in Status.objects.filter(slug__in=SCALE_ES):
        name, definition = SCALE_ES[status.slug]
        status.name_es = status.name_es or name
        status.definition_es = status.definition_es or definition
        status.save(update_fields=["name_es", "definition_es"])


def remove_spanish(apps, schema_editor):
    Status = apps.get_model("recommendations", "Status")
    for status in Status.objects.filter(slug__in=SCALE_ES):
        if (status.name_es, status.definition_es) == SCALE_ES[status.slug]:
            status.name_es = status.definition_es = ""
            status.save(update_fields=["name_es", "definition_es"])


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0005_spanish_columns")]

    operations = [migrations.RunPython(add_spanish, remove_spanish)]
