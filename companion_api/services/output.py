"""A run's output: shapes checked when stored, budgets applied (cut and flagged, never refused)."""
import base64
import binascii
from datetime import timezone

from .. import text

# Figures are bounded by their own budget (per figure and per run); the text budget is for text.
UNBUDGETED = {"figure"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCALARS = (str, int, float, bool, type(None))
TABLE_KEYS = ("columns", "rows", "index")


def _iso(ts):
    return ts.astimezone(timezone.utc).isoformat() if ts.tzinfo else ts.isoformat() + "+00:00"


def figure_bytes(content):
    """Decoded size of a base64 figure, without decoding it."""
    return len(content) * 3 // 4


def is_png(content):
    """True for base64 text of a PNG image (what a `figure` output holds)."""
    try:
        return base64.b64decode(content, validate=True).startswith(PNG_SIGNATURE)
    except (binascii.Error, ValueError):
        return False


def _scalars(value):
    return isinstance(value, list) and all(isinstance(v, SCALARS) for v in value)


def _row(value):
    return (isinstance(value, SCALARS) or _scalars(value)
            or isinstance(value, dict) and all(isinstance(v, SCALARS) for v in value.values()))


def parse_table(content):
    """The document of a `table` output, or None when it is not one.

    A table is JSON {"columns": [scalar…], "rows": [row…], "index"?: [scalar…] | null}; a row is
    a list of scalars, an object of column → scalar, or one scalar; any other key (kind, shape,
    truncated, name, dtype) holds a scalar or a list of scalars. Nothing nests deeper, so what
    is stored can always be rendered and exported.
    """
    try:
        table = text.loads(content)
    except ValueError:
        return None
    if not (isinstance(table, dict) and _scalars(table.get("columns"))
            and isinstance(table.get("rows"), list) and all(map(_row, table["rows"]))
            and (table.get("index") is None or _scalars(table["index"]))):
        return None
    if not all(isinstance(v, SCALARS) or _scalars(v)
               for k, v in table.items() if k not in TABLE_KEYS):
        return None
    return table


def bound_output(items, max_bytes, max_figure_bytes):
    """Return (items as stored, truncated?): text past max_bytes is cut and later items dropped;
    figures past max_figure_bytes (all of the run's together) are dropped."""
    kept, used, figures = [], 0, 0
    cut = False
    for item in items:
        stored = {"type": item["type"], "content": item["content"],
                  "timestamp": _iso(item["timestamp"])}
        if item["type"] in UNBUDGETED:
            size = figure_bytes(item["content"])
            if figures + size > max_figure_bytes:
                cut = True
                continue
            figures += size
            kept.append(stored)
            continue
        data = text.utf8(item["content"])
        if used + len(data) > max_bytes:
            room = max_bytes - used
            # A table is one JSON document: half of one is useless, so it is dropped whole.
            if room > 0 and item["type"] != "table":
                stored["content"] = data[:room].decode("utf-8", errors="ignore")
                kept.append(stored)
            return kept, True
        used += len(data)
        kept.append(stored)
    return kept, cut


def searchable_text(items):
    """The text a search matches against (figures are base64 noise)."""
    return "\n".join(i["content"] for i in items if i["type"] not in UNBUDGETED)
