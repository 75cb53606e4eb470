"""Artifacts: one code fingerprint, runs from several devices."""
def test_same_block_on_two_devices_is_one_artifact(users):
    laptop = users.new(email="a@example.com")
    desktop = users.login("a@example.com", device_name="Desktop")
    a = laptop.store(code="print(1)\n", minutes=0)
    # Same block, shown with its marker and Windows newlines on another site.
    b = desktop.store(code="<!-- executable: One -->\r\nprint(1)\r\n", minutes=5,
                      title="One", status="error")
    laptop.store(code="print(2)", minutes=1)
    assert a["artifact_uuid"] == b["artifact_uuid"]

    listing = laptop.get("/api/v1/artifacts").json
    assert [i["run_count"] for i in listing["items"]] == [2, 1]
    top = listing["items"][0]
    assert top["artifact_uuid"] == a["artifact_uuid"]
    assert top["device_count"] == 2 and top["last_status"] == "error" and top["title"] == "One"
    assert top["first_run_at"] == "2025-03-01T12:00:00+00:00"
    assert top["last_run_at"] == "2025-03-01T12:05:00+00:00"

    detail = desktop.get(f"/api/v1/artifacts/{a['artifact_uuid']}").json
    assert [r["execution_id"] for r in detail["runs"]] == [b["execution_id"], a["execution_id"]]
    assert {r["device"]["name"] for r in detail["runs"]} == {"Chromium on laptop", "Desktop"}


def test_artifact_pages_and_filters(user):
    for i in range(5):
        user.store(code=f"print({i})", minutes=i)
    user.store(code="console.log(1)", language="javascript", minutes=10)
    seen, cursor = [], None
    while True:
        body = user.get("/api/v1/artifacts?limit=2" + (f"&cursor={cursor}" if cursor else "")).json
        seen += [i["code"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == ["console.log(1)"] + [f"print({i})" for i in range(4, -1, -1)]
    js = user.get("/api/v1/artifacts?language=javascript").json["items"]
    assert [i["code"] for i in js] == ["console.log(1)"]


def test_other_users_artifacts_are_404(users):
    alice, mallory = users.new(), users.new()
    rec = alice.store()
    assert mallory.get(f"/api/v1/artifacts/{rec['artifact_uuid']}").status_code == 404
    assert mallory.get("/api/v1/artifacts").json["items"] == []
    assert alice.get("/api/v1/artifacts?cursor=%%%").status_code == 422

