"""Devices: list, rename, revoke; another account's devices are invisible."""


def test_rename_device(user):
    resp = user.patch(f"/api/v1/devices/{user.device_id}", json={"name": "Work laptop"})
    assert resp.status_code == 200
    assert resp.json["name"] == "Work laptop"
    assert user.get(f"/api/v1/devices/{user.device_id}").json["name"] == "Work laptop"


def test_revoke_other_device_kills_its_token(users):
    first = users.new(email="r@example.com")
    second = users.login("r@example.com")
    assert first.delete(f"/api/v1/devices/{second.device_id}").status_code == 204
    assert second.get("/api/v1/executions").status_code == 401
    assert first.get("/api/v1/executions").status_code == 200
    listed = {d["id"]: d for d in first.get("/api/v1/devices").json["items"]}
    assert listed[second.device_id]["revoked_at"] is not None
    assert listed[first.device_id]["current"] is True
    # Revoking twice is harmless.
    assert first.delete(f"/api/v1/devices/{second.device_id}").status_code == 204


def test_revoking_own_device_logs_out(user):
    assert user.delete(f"/api/v1/devices/{user.device_id}").status_code == 204
    assert user.get("/api/v1/devices").status_code == 401


def test_other_accounts_devices_are_404(users):
    alice, mallory = users.new(), users.new()
    url = f"/api/v1/devices/{alice.device_id}"
    assert mallory.get(url).status_code == 404
    assert mallory.patch(url, json={"name": "pwned"}).status_code == 404
    assert mallory.delete(url).status_code == 404
    assert alice.get(url).json["name"] == "Chromium on laptop"
    assert alice.get("/api/v1/executions").status_code == 200


def test_bad_device_id_is_404_not_500(user):
    assert user.get("/api/v1/devices/not-a-uuid").status_code == 404
    resp = user.patch(f"/api/v1/devices/{user.device_id}", json={"name": "x" * 101})
    assert resp.status_code == 422
