"""Bounding a run's output: over the budget it is cut and flagged, never refused."""
from datetime import timezone

# Figures are bounded one by one (2 MB each, refused above); the budget is for text.
UNBUDGETED = {"figure"}


def _iso(ts):
    return ts.astimezone(timezone.utc).isoformat() if ts.tzinfo else ts.isoformat() + "+00:00"


def bound_output(items, max_bytes):
    """Return (items as stored, truncated?): text past max_bytes is cut, later items dropped."""
    kept, used = [], 0
    for item in items:
        stored = {"type": item["type"], "content": item["content"],
                  "timestamp": _iso(item["timestamp"])}
        if item["type"] in UNBUDGETED:
            kept.append(stored)
            continue
        data = item["content"].encode("utf-8")
        if used + len(data) > max_bytes:
            room = max_bytes - used
            # A table is one JSON document: half of one is useless, so it is dropped whole.
            if room > 0 and item["type"] != "table":
                stored["content"] = data[:room].decode("utf-8", errors="ignore")
                kept.append(stored)
            return kept, True
        used += len(data)
        kept.append(stored)
    return kept, False


def searchable_text(items):
    """The text a search matches against (figures are base64 noise)."""
    return "\n".join(i["content"] for i in items if i["type"] not in UNBUDGETED)
