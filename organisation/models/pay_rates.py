"""An employee's pay rate history: each rate, in a currency, from its first local day. Pay
prices each worked day at the rate in force on the local day the shift starts on; the
employee's `hourly_rate` is the rate in force today (written with the history, never alone:
organisation.services.pay_rates)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisation.models.organisation import Employee
from organisation.validators import validate_currency_code


class PayRate(models.Model):
    id = models.BigAutoField(primary_key=True)
    # Deleted with the employee only (employee_delete: someone who never produced records).
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="pay_rates")
    rate = models.DecimalField(max_digits=12, decimal_places=4)
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    valid_from = models.DateField(help_text="The first local day it pays")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["employee", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "valid_from", "currency"], name="pay_rate_once_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gte=0), name="pay_rate_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.rate} {self.currency} from {self.valid_from}"
