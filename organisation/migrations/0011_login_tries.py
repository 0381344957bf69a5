from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wfm", "0010_queue_proficiency"),
    ]

    operations = [
        migrations.CreateModel(
            name="LoginTries",
            fields=[
                (
                    "username",
                    models.CharField(max_length=150, primary_key=True, serialize=False),
                ),
                ("tries", models.PositiveIntegerField(default=0)),
                ("window_started_at", models.DateTimeField()),
            ],
            options={
                "verbose_name_plural": "login tries",
            },
        ),
    ]
