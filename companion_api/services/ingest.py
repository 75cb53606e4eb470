"""Turning validated wire records into rows, and storing them idempotently."""
from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select

from ..database import insert_ignoring_conflicts
from ..errors import PayloadTooLarge, flatten
from ..extensions import db
from ..fingerprint import artifact_uuid
from ..models import Execution
from .output import bound_output, searchable_text


def to_row(data, device, keep_artifact_uuid=False):
    """A column dict for one run; the compat endpoint keeps the client's artifact_uuid."""
    output, cut = bound_output(data["output"], current_app.config["CHATRUN_MAX_OUTPUT_BYTES"])
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
    }


def store(rows):
    """Insert rows, skipping execution_ids the account already has; return the ids created."""
    if not rows:
        return set()
    created = insert_ignoring_conflicts(
        Execution.__table__, rows, ["account_id", "execution_id"], [Execution.execution_id])
    db.session.commit()
    return {r.execution_id for r in created}


def store_one(data, device, keep_artifact_uuid=False):
    """Store a run; return (stored record, created?) — a replay returns the stored one."""
    created = store([to_row(data, device, keep_artifact_uuid)])
    return find(device.account_id, data["execution_id"]), bool(created)


def find(account_id, execution_id):
    return db.session.scalar(select(Execution).where(
        Execution.account_id == account_id, Execution.execution_id == execution_id))


def _rejected(index, raw, reason, fields):
    sent = raw.get("execution_id") if isinstance(raw, dict) else None
    return {"index": index, "execution_id": sent if isinstance(sent, str) else None,
            "result": "rejected", "reason": reason, "fields_": fields}


def store_batch(items, schema, device):
    """Validate and store each item on its own; return the per-item results in input order."""
    results, rows, seen = [], [], set()
    for index, raw in enumerate(items):
        try:
            data = schema.load(raw)
        except ValidationError as err:
            results.append(_rejected(index, raw, "Item did not validate.", flatten(err.messages)))
            continue
        except PayloadTooLarge as err:
            results.append(_rejected(index, raw, err.data["message"], err.data["errors"]))
            continue
        result = {"index": index, "execution_id": str(data["execution_id"])}
        results.append(result)
        if data["execution_id"] in seen:  # repeated inside this batch
            result["result"] = "duplicate"
            continue
        seen.add(data["execution_id"])
        rows.append(to_row(data, device))
        result["_row"] = True
    created = {str(eid) for eid in store(rows)}
    for result in results:
        if result.pop("_row", False):
            result["result"] = "created" if result["execution_id"] in created else "duplicate"
    return results
