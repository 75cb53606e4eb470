"""Turning validated wire records into rows, and storing them idempotently."""
import logging
from types import SimpleNamespace

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from ..database import insert_counted, insert_ignoring_conflicts
from ..errors import PayloadTooLarge, flatten
from ..extensions import db
from ..fingerprint import artifact_uuid
from ..models import Execution
from ..models.types import utcnow
from . import rollups
from .output import bound_output, searchable_text

log = logging.getLogger(__name__)
# A run is new unless its account already has its execution_id.
CONFLICT = ("account_id", "execution_id")


def to_row(data, device, keep_artifact_uuid=False):
    """A column dict for one run; the compat endpoint keeps the client's artifact_uuid."""
    cfg = current_app.config
    output, cut = bound_output(data["output"], cfg["CHATRUN_MAX_OUTPUT_BYTES"],
                               cfg["CHATRUN_MAX_RUN_FIGURE_BYTES"])
    page = data.get("page") or {}
    return {
        "account_id": device.account_id,
        "device_id": device.id,
        "execution_id": data["execution_id"],
        "artifact_uuid": (str(data["artifact_uuid"]) if keep_artifact_uuid
                          else str(artifact_uuid(data["code"]))),
        "message_uuid": data.get("message_uuid"),
        "timestamp": data["timestamp"],
        "execution_time_ms": round(data["execution_time_ms"]),
        "status": data["status"],
        "language": data["language"].lower(),
        "code": data["code"],
        "title": data.get("title"),
        "page_url": page.get("url"),
        "page_site": page.get("site"),
        "page_title": page.get("title"),
        "output": output,
        "output_text": searchable_text(output),
        "truncated": bool(data.get("truncated")) or cut,
        "created_at": utcnow(),
    }


class StoredRun:
    """A run as its INSERT ... RETURNING handed it back: what find() would load (the same
    columns through the same types, the device that sent it), without querying again."""

    page = Execution.page

    def __init__(self, row, device):
        self.__dict__.update(row._mapping)
        self.device = device


def store(rows, whole=False):
    """Insert rows (of one account), skipping execution_ids it already has, and count the created
    ones in its daily counters in the same transaction; return the rows created (their
    execution_id and rollups.COUNTED, or with whole every column)."""
    if not rows:
        return []
    columns = list(Execution.__table__.c) if whole else [Execution.execution_id, *rollups.COUNTED]
    account_id = rows[0]["account_id"]
    if len(rows) == 1:  # counted from the row itself: the counters are written only if it is new
        counted = [tuple(rows[0][c.key] for c in rollups.COUNTED)]
        created = insert_counted(Execution.__table__, rows[0], CONFLICT, columns,
                                 rollups.counter_rows(account_id, counted, 1))
    else:
        created = insert_ignoring_conflicts(Execution.__table__, rows, CONFLICT, columns)
        rollups.apply(account_id,
                      [tuple(getattr(r, c.key) for c in rollups.COUNTED) for r in created], 1)
    db.session.commit()
    return created


def store_one(data, device, keep_artifact_uuid=False):
    """Store a run; return (stored record, created?) — a replay returns the stored one."""
    # The device's fields are read before the commit expires it (reading after would query).
    sender = SimpleNamespace(public_id=device.public_id, name=device.name)
    created = store([to_row(data, device, keep_artifact_uuid)], whole=True)
    if created:
        return StoredRun(created[0], sender), True
    return find(device.account_id, data["execution_id"]), False


def find(account_id, execution_id):
    return db.session.scalar(select(Execution).where(
        Execution.account_id == account_id, Execution.execution_id == execution_id))


def _rejected(index, raw, code, reason, fields=None):
    sent = raw.get("execution_id") if isinstance(raw, dict) else None
    result = {"index": index, "execution_id": sent if isinstance(sent, str) else None,
              "result": "rejected", "code": code, "reason": reason}
    if fields:
        result["fields_"] = fields
    return result


def _prepare(index, raw, schema, device):
    """(row, None) for a storable item, else (None, its rejected result). Every per-item step
    runs here, so no item can fail the batch: anything unexpected rejects that item only."""
    try:
        data = schema.load(raw)
        return to_row(data, device), None
    except ValidationError as err:
        return None, _rejected(index, raw, "validation_error", "Item did not validate.",
                               flatten(err.messages))
    except PayloadTooLarge as err:
        return None, _rejected(index, raw, "payload_too_large", err.data["message"],
                               err.data["errors"])
    except Exception:  # noqa: BLE001 - one item's surprise must not stall the device's sync
        log.exception("batch item %d could not be processed", index)
        return None, _rejected(index, raw, "unprocessable", "Item could not be processed.")


def store_batch(items, schema, device):
    """Validate and store each item on its own; return the per-item results in input order."""
    results, rows, seen = [], [], set()
    for index, raw in enumerate(items):
        row, rejected = _prepare(index, raw, schema, device)
        if rejected:
            results.append(rejected)
            continue
        result = {"index": index, "execution_id": str(row["execution_id"])}
        results.append(result)
        if row["execution_id"] in seen:  # repeated inside this batch
            result["result"] = "duplicate"
            continue
        seen.add(row["execution_id"])
        rows.append(row)
        result["_row"] = True
    created = {str(r.execution_id) for r in store(rows)}
    for result in results:
        if result.pop("_row", False):
            result["result"] = "created" if result["execution_id"] in created else "duplicate"
    return results
