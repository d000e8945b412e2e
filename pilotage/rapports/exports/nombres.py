"""Nombres à la française pour les documents du rapport : 1 234,5 ; +39,9 %."""

from decimal import Decimal

from pilotage.core import formats


def nombre(value: Decimal | int | None) -> str:
    """593 → « 593 » ; 14.0 → « 14,0 » ; 12500 → « 12 500 » (espace fine insécable)."""
    if value is None:
        return "—"
    value = Decimal(value)
    exponent = value.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.nombre(value, decimales=decimals)  # les décimales écrites sont gardées


def pourcentage(value: Decimal | None) -> str:
    """39.9 → « +39,9 % », -5.0 → « -5,0 % » (signe toujours écrit)."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return f"{sign}{nombre(abs(value))}\u00a0%"
