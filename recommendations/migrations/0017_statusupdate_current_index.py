from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0016_official_wording_permission"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="statusupdate",
            name="statusupdate_latest_idx",
        ),
        migrations.AddIndex(
            model_name="statusupdate",
            index=models.Index(
                fields=["recommendation", "-effective_date", "-created_at", "-id"],
                name="statusupdate_current_idx",
            ),
        ),
    ]
