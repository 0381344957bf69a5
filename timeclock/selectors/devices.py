"""Reads about devices: the health of a terminal's sequence numbers, and whose punches its
site takes."""

from timeclock.models import ClockPolicy, Device

MAX_GAPS = 100


def device_seq_gaps(*, device: Device) -> list[list[int]]:
    """[first missing, last missing] runs in the device's sequence numbers (R2.6)."""
    seqs = (
        device.punches.exclude(device_seq__isnull=True)
        .order_by("device_seq")
        .values_list("device_seq", flat=True)
        .distinct()
    )
    gaps: list[list[int]] = []
    previous: int | None = None
    for seq in seqs.iterator():
        if previous is not None and seq > previous + 1:
            gaps.append([previous + 1, seq - 1])
            if len(gaps) >= MAX_GAPS:
                break
        previous = seq
    return gaps


def device_takes_other_sites(*, device: Device) -> bool:
    """Whether the device's site takes punches of other sites' employees (visiting staff):
    its clock policy says so; by default a terminal serves its own site only."""
    return ClockPolicy.objects.filter(site_id=device.site_id, other_sites_accepted=True).exists()
