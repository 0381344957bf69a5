# Notices moved to the organisation (wfm 0007): the state only; the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('scheduling', '0005_shift_publish_lock'),
        ('wfm', '0007_notices_move'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notice')],
        ),
    ]
