from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0011's data changes: PostgreSQL will not alter a table with pending trigger
    # events in the same transaction.
    dependencies = [
        ("recommendations", "0011_status_progress_ranges"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='status',
            constraint=models.CheckConstraint(condition=models.Q(('min_progress__lte', models.F('default_progress')), ('default_progress__lte', models.F('max_progress')), ('max_progress__lte', 100)), name='status_progress_range_valid', violation_error_message='The usual progress must lie within the range.'),
        ),
        migrations.AddConstraint(
            model_name='status',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('phase', 'implemented'), _negated=True), ('min_progress', 100), _connector='OR'), name='status_implemented_means_100', violation_error_message='An implemented status means 100%: set its range to 100.'),
        ),
    ]
