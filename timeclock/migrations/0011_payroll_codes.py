# Earnings-code maps, payroll site accounts and employee payroll identifiers (issue 25, item 3).

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

DIGITS = django.core.validators.RegexValidator("^[0-9]+$", "Digits only.", code="digits")
CODE = django.core.validators.RegexValidator(
    "^[A-Za-z0-9_]+$", "Letters, digits and _ only.", code="code"
)


class Migration(migrations.Migration):
    dependencies = [
        ("timeclock", "0010_acd_feed"),
        ("timeclock", "0010_training_pay"),  # both 0010s were committed at once: this joins them
        ("wfm", "0009_site_us_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="PayrollSiteAccount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("adp_company_code", models.CharField(blank=True, max_length=3, validators=[CODE])),
                ("adp_batch_id", models.CharField(blank=True, max_length=10, validators=[CODE])),
                ("datev_consultant_number", models.CharField(blank=True, max_length=7, validators=[DIGITS])),
                ("datev_client_number", models.CharField(blank=True, max_length=5, validators=[DIGITS])),
                ("site", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="payroll_account", to="wfm.site")),
            ],
        ),
        migrations.CreateModel(
            name="EmployeePayrollIds",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("adp_file_number", models.CharField(blank=True, max_length=6, validators=[DIGITS])),
                ("datev_personnel_number", models.CharField(blank=True, max_length=5, validators=[DIGITS])),
                ("cost_centre", models.CharField(blank=True, max_length=13, validators=[CODE])),
                ("employee", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="payroll_ids", to="wfm.employee")),
            ],
        ),
        migrations.CreateModel(
            name="EarningsCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("system", models.CharField(choices=[("adp", "ADP Workforce Now"), ("datev", "DATEV LODAS")], max_length=8)),
                ("pay_code", models.CharField(max_length=20)),
                ("code", models.CharField(max_length=10, validators=[CODE])),
                ("kind", models.CharField(choices=[("hours", "Hours"), ("amount", "Amount")], default="amount", max_length=8)),
                ("site", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="earnings_codes", to="wfm.site")),
            ],
            options={"ordering": ["site", "system", "pay_code"]},
        ),
        migrations.AddConstraint(
            model_name="earningscode",
            constraint=models.UniqueConstraint(fields=("site", "system", "pay_code"), name="earnings_code_once_per_pay_code"),
        ),
        migrations.AlterField(
            model_name="payrollexport",
            name="format",
            field=models.CharField(
                choices=[("csv", "Csv"), ("xlsx", "Xlsx"), ("billable", "Billable"), ("records", "Records"), ("adp", "Adp"), ("datev", "Datev")],
                max_length=8,
            ),
        ),
    ]
