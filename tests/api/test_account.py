"""The account: read it, delete it with all its data."""
from sqlalchemy import func, select

from companion_api.extensions import db
from companion_api.models import Account, Device, Execution, ShareLink


def test_get_account_counts(user):
    user.store()
    body = user.get("/api/v1/account").json
    assert body["device_count"] == 1 and body["execution_count"] == 1


def test_delete_needs_password_and_confirmation(user):
    assert user.post("/api/v1/account/delete",
                     json={"password": "wrong pass", "confirm": "delete my account"}
                     ).status_code == 403
    resp = user.post("/api/v1/account/delete", json={"password": "correct horse", "confirm": "y"})
    assert resp.status_code == 422 and "confirm" in resp.json["error"]["fields"]
    assert user.get("/api/v1/account").status_code == 200


def test_delete_removes_everything_of_that_account_only(users, app):
    doomed, other = users.new(), users.new()
    run = doomed.store()
    doomed.post(f"/api/v1/executions/{run['execution_id']}/shares")
    other.store()
    resp = doomed.post("/api/v1/account/delete",
                       json={"password": "correct horse", "confirm": "delete my account"})
    assert resp.status_code == 204
    assert doomed.get("/api/v1/account").status_code == 401
    with app.app_context():
        counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m))
                  for m in (Account, Device, Execution, ShareLink)}
    assert counts == {"Account": 1, "Device": 1, "Execution": 1, "ShareLink": 0}
    assert other.get("/api/v1/account").json["execution_count"] == 1
