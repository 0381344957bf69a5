"""What a payroll system needs besides our pay lines: each site's earnings-code map (our pay
codes to the payroll system's codes, per export format), the site's account with it (ADP
company code and batch, DATEV consultant and client numbers) and each employee's payroll
identifiers (ADP file number, DATEV personnel number, cost centre)."""

from django.core.validators import RegexValidator
from django.db import models

from organisation.models import Employee, Site

DIGITS = RegexValidator(r"^[0-9]+$", "Digits only.", code="digits")
CODE = RegexValidator(r"^[A-Za-z0-9_]+$", "Letters, digits and _ only.", code="code")


class PayrollSystem(models.TextChoices):
    """The formats that need codes and identifiers (the other exports print ours)."""

    ADP = "adp", "ADP Workforce Now"
    DATEV = "datev", "DATEV LODAS"


class PayrollSiteAccount(models.Model):
    """A site's identifiers in the payroll systems it exports to."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="payroll_account")
    # ADP paydata: the company code is three characters, the batch id names the batch.
    adp_company_code = models.CharField(max_length=3, blank=True, validators=[CODE])
    adp_batch_id = models.CharField(max_length=10, blank=True, validators=[CODE])
    # DATEV: Beraternummer up to 7 digits, Mandantennummer up to 5.
    datev_consultant_number = models.CharField(max_length=7, blank=True, validators=[DIGITS])
    datev_client_number = models.CharField(max_length=5, blank=True, validators=[DIGITS])

    def __str__(self) -> str:
        return f"payroll account of {self.site}"


class EmployeePayrollIds(models.Model):
    """An employee's numbers in the payroll systems (blank: not known yet)."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="payroll_ids")
    adp_file_number = models.CharField(max_length=6, blank=True, validators=[DIGITS])
    datev_personnel_number = models.CharField(max_length=5, blank=True, validators=[DIGITS])
    cost_centre = models.CharField(max_length=13, blank=True, validators=[CODE])

    def __str__(self) -> str:
        return f"payroll ids of {self.employee_id}"


class EarningsCode(models.Model):
    """One of our pay codes as a payroll system's code at a site, and whether that system
    gets the hours (it prices them) or our amount."""

    class Kind(models.TextChoices):
        HOURS = "hours"
        AMOUNT = "amount"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="earnings_codes")
    system = models.CharField(max_length=8, choices=PayrollSystem.choices)
    pay_code = models.CharField(max_length=20)
    code = models.CharField(max_length=10, validators=[CODE])
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.AMOUNT)

    class Meta:
        ordering = ["site", "system", "pay_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "system", "pay_code"], name="earnings_code_once_per_pay_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.system} {self.pay_code} -> {self.code}"
