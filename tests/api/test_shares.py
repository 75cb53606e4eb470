"""Share links: random, revocable, code and output only."""
def test_share_shows_code_and_output_only(user, client):
    rec = user.store(message_uuid="m-1")
    resp = user.post(f"/api/v1/executions/{rec['execution_id']}/shares")
    assert resp.status_code == 201
    share = resp.json
    assert share["token"].startswith("crs_") and share["url"].endswith(share["token"])
    public = client.get(f"/api/v1/shared/{share['token']}")  # no auth
    assert public.status_code == 200
    assert set(public.json) == {"title", "language", "code", "status", "output", "truncated"}
    assert public.json["code"] == rec["code"] and public.json["output"] == rec["output"]


def test_revoked_share_is_404(user, client):
    rec = user.store()
    share = user.post(f"/api/v1/executions/{rec['execution_id']}/shares").json
    assert [s["id"] for s in user.get("/api/v1/shares").json["items"]] == [share["id"]]
    assert user.delete(f"/api/v1/shares/{share['id']}").status_code == 204
    assert client.get(f"/api/v1/shared/{share['token']}").status_code == 404
    assert user.get("/api/v1/shares").json["items"][0]["revoked_at"] is not None


def test_deleting_the_run_kills_its_links(user, client):
    rec = user.store()
    share = user.post(f"/api/v1/executions/{rec['execution_id']}/shares").json
    user.delete(f"/api/v1/executions/{rec['execution_id']}")
    assert client.get(f"/api/v1/shared/{share['token']}").status_code == 404


def test_shares_are_private_to_their_account(users, client):
    alice, mallory = users.new(), users.new()
    rec = alice.store()
    share = alice.post(f"/api/v1/executions/{rec['execution_id']}/shares").json
    assert mallory.delete(f"/api/v1/shares/{share['id']}").status_code == 404
    assert mallory.get("/api/v1/shares").json["items"] == []
    assert client.get("/api/v1/shared/crs_guess").status_code == 404


def test_share_urls_use_the_configured_public_url_never_the_host_header(make_app):
    from .conftest import Users

    app = make_app(CHATRUN_PUBLIC_URL="https://chatrun.example.org/")
    user = Users(app.test_client()).new()
    rec = user.store()
    resp = user.post(f"/api/v1/executions/{rec['execution_id']}/shares",
                     headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert resp.json["url"] == f"https://chatrun.example.org/api/v1/shared/{resp.json['token']}"
