"""Opaque keyset cursors: stable under inserts, unlike offsets, and O(1) per page."""
import base64
import json
from datetime import datetime

from flask_smorest import abort

from . import text

MAX_ROW_ID = 2**63 - 1  # bigint


def row_id(value):
    """A cursor's row id: an int a bigint column can hold (not a bool, float or 10**30)."""
    if type(value) is not int or not 0 <= value <= MAX_ROW_ID:
        raise ValueError("not a row id")
    return value


def string(value):
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def timestamp(value):
    return datetime.fromisoformat(string(value))


def encode_cursor(*values):
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor, kinds):
    """Return the cursor's values converted by `kinds` (callables), or answer 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = text.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("wrong shape")
        return [kind(v) for kind, v in zip(kinds, values)]
    except (ValueError, TypeError):  # binascii.Error and JSONDecodeError are ValueErrors
        abort(422, message="The request did not validate.",
              errors={"cursor": ["Not a cursor returned by this API."]})


def page_of(rows, limit, cursor_of):
    """Split limit+1 fetched rows into (page, next_cursor)."""
    page = rows[:limit]
    next_cursor = cursor_of(page[-1]) if len(rows) > limit and page else None
    return page, next_cursor
