"""Password hashing with argon2 (argon2-cffi's PasswordHasher)."""
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_HASHERS = {
    "default": PasswordHasher(),
    # Tests create hundreds of accounts; the real cost parameters would dominate the suite.
    "cheap": PasswordHasher.from_parameters(profiles.CHEAPEST),
}
# Verified when the email is unknown, so a miss costs as long as a hit (no account probing).
_DUMMY = {name: hasher.hash("not a password") for name, hasher in _HASHERS.items()}


def _profile():
    return current_app.config["CHATRUN_PASSWORD_PROFILE"]


def hash_password(password):
    return _HASHERS[_profile()].hash(password)


def check_password(password_hash, password):
    """Return True when password matches; password_hash None means 'no such account'."""
    hasher = _HASHERS[_profile()]
    try:
        return hasher.verify(password_hash or _DUMMY[_profile()], password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
