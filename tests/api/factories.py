"""Request bodies for tests."""
import base64
import uuid
from datetime import datetime, timedelta, timezone

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
PNG_1PX = base64.b64encode(
    bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                  "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")
).decode()


def iso(dt):
    return dt.isoformat().replace("+00:00", "Z")


def run(code="print('hi')", *, minutes=0, **overrides):
    """A valid wire record; `minutes` shifts its timestamp from T0."""
    ts = iso(T0 + timedelta(minutes=minutes))
    body = {
        "execution_id": str(uuid.uuid4()),
        "timestamp": ts,
        "execution_time_ms": 42,
        "status": "success",
        "code": code,
        "language": "python",
        "title": "Greeting",
        "message_uuid": None,
        "page": {"url": "https://chat.example/c/1", "site": "chat.example", "title": "Chat"},
        "output": [{"type": "stdout", "content": "hi", "timestamp": ts}],
        "truncated": False,
    }
    body.update(overrides)
    return body
