"""Field validators for shift templates: lengths, weekdays and break rules stored as JSON."""

from typing import Any

from django.core.exceptions import ValidationError

MAX_SHIFT_MINUTES = 16 * 60
BREAK_KEYS = {"length_minutes", "earliest_offset_minutes", "latest_offset_minutes", "paid"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_shift_lengths(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Give a non-empty list of lengths in minutes.", code="invalid")
    for length in value:
        if not _is_int(length) or not 15 <= length <= MAX_SHIFT_MINUTES or length % 5:
            raise ValidationError(
                "Each length is a whole number of minutes, a multiple of 5, from 15 to 960.",
                code="invalid",
            )


def validate_weekdays(value: Any) -> None:
    if (
        not isinstance(value, list)
        or not value
        or len(set(value)) != len(value)
        or not all(_is_int(d) and 0 <= d <= 6 for d in value)
    ):
        raise ValidationError(
            "Give distinct weekdays from 0 (Monday) to 6 (Sunday).", code="invalid"
        )


def validate_break_rules(value: Any) -> None:
    """[{"length_minutes", "earliest_offset_minutes", "latest_offset_minutes", "paid"}]"""
    if not isinstance(value, list):
        raise ValidationError("Give a list of breaks.", code="invalid")
    for rule in value:
        if (
            not isinstance(rule, dict)
            or set(rule) - BREAK_KEYS
            or not (
                {"length_minutes", "earliest_offset_minutes", "latest_offset_minutes"} <= set(rule)
            )
        ):
            raise ValidationError(
                f"Each break has exactly the keys {sorted(BREAK_KEYS)} (paid optional).",
                code="invalid",
            )
        numbers = [rule[k] for k in sorted(BREAK_KEYS - {"paid"})]
        if not all(_is_int(n) and n >= 0 for n in numbers) or rule["length_minutes"] < 5:
            raise ValidationError("Break minutes are whole numbers, length 5 or more.")
        if rule["latest_offset_minutes"] < rule["earliest_offset_minutes"]:
            raise ValidationError("A break's latest offset comes before its earliest.")
        if not isinstance(rule.get("paid", False), bool):
            raise ValidationError("A break's paid flag is true or false.")
