"""R1.17: no float on a money or hours path; money fields are Decimal with 2 places (rates 4)."""

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
MONEY_MODULES = [
    "timeclock/pay.py",
    "timeclock/points.py",
    "timeclock/services/periods.py",
    "timeclock/services/adjustments.py",
    "timeclock/selectors/periods.py",
    "timeclock/exports/csv.py",
    "timeclock/exports/xlsx.py",
    "timeclock/exports/records.py",
    "timeclock/exports/billable.py",
    "timeclock/selectors/billable.py",
    "timeclock/services/billable_adjustments.py",
]


def test_pay_modules_never_use_float() -> None:
    for module in MONEY_MODULES:
        tree = ast.parse((ROOT / module).read_text())
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert "float" not in names, module
        floats = [
            n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)
        ]
        assert not floats, module


def test_money_and_hours_fields_are_decimals() -> None:
    for model in apps.get_app_config("timeclock").get_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, models.FloatField), f"{model.__name__}.{field.name}"
            if field.name in {"amount", "hours"}:
                assert isinstance(field, models.DecimalField)
                assert field.max_digits >= 12
                assert field.decimal_places == 2
            if field.name == "rate":
                assert isinstance(field, models.DecimalField)
                assert field.decimal_places == 4
