"""Byte-stable files for the exports: CSV with fixed line ends, and zip archives (XLSX) whose
entries carry a fixed timestamp instead of the time of writing."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime

_STAMPED = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)([^<]*)(</dcterms:)")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A UTF-8 CSV file: the header, then the rows, each ending in a bare newline."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def zip_restamped(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the zip with a fixed timestamp on every entry (openpyxl stamps the time of
    writing), so that re-exporting gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save
                content = _STAMPED.sub(
                    lambda m: m.group(1) + stamp.strftime("%Y-%m-%dT%H:%M:%SZ") + m.group(3),
                    content.decode(),
                ).encode()
            target.writestr(fixed, content)
    return out.getvalue()
