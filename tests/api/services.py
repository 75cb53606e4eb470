"""Which database and limiter storage this pass of the suite uses.

Without DATABASE_URL / REDIS_URL: a SQLite file per test and in-memory limits. With them
(scripts/test's second pass): those services, and with CHATRUN_REQUIRE_SERVICES=1 an unreachable
service fails the run instead of skipping anything.
"""
import os
import uuid

import pytest
import redis
import sqlalchemy as sa

DATABASE_URL = os.environ.get("DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")
REQUIRE = os.environ.get("CHATRUN_REQUIRE_SERVICES") == "1"
# One prefix per pytest process: runs never see each other's counters in a shared Redis.
RATELIMIT_PREFIX = f"chatrun-test-{uuid.uuid4().hex[:12]}"


def check_database(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means unreachable
        pytest.fail(f"DATABASE_URL={url} is unreachable: {exc}", pytrace=False)
    finally:
        engine.dispose()


def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"REDIS_URL={REDIS_URL} is unreachable: {exc}", pytrace=False)
    return client


def clear_redis_prefix(client, prefix=RATELIMIT_PREFIX):
    keys = list(client.scan_iter(f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


def require_redis():
    """For tests that only mean something with Redis (limits across processes)."""
    if not REDIS_URL:
        if REQUIRE:
            pytest.fail("CHATRUN_REQUIRE_SERVICES=1 but REDIS_URL is not set", pytrace=False)
        pytest.skip("needs REDIS_URL (scripts/test runs it in the services pass)")
    return redis_client()
