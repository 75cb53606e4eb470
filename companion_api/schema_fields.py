"""Marshmallow fields shared by several resources."""
from datetime import datetime, timezone

from marshmallow import ValidationError, fields

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


class Timestamp(fields.DateTime):
    """ISO 8601 date-time loaded as aware UTC (naive input is read as UTC).

    Bounded so that converting "0001-01-01T00:00+14:00" to UTC, or stepping 30 days back from a
    date, can never overflow into a 500.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        try:
            parsed = parsed.astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError("Date out of range.") from None
        if not EARLIEST <= parsed <= LATEST:
            raise ValidationError("Date out of range (years 1900 to 9000).")
        return parsed
