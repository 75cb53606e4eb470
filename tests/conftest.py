"""Settings for the whole suite; fixtures live next to the tests that use them (tests/api,
tests/dashboard, tests/e2e, tests/pyworker each have their own conftest)."""
from hypothesis import settings

# Property tests are reproducible (the same examples on every run and machine) and write no
# example database into the checkout; each test sets its own example count.
settings.register_profile("chatrun", derandomize=True, database=None, deadline=None)
settings.load_profile("chatrun")
