"""Random secrets handed to clients and the hashes stored in their place."""
import hashlib
import secrets

DEVICE_TOKEN_PREFIX = "crd_"
SHARE_TOKEN_PREFIX = "crs_"
SESSION_TOKEN_PREFIX = "crw_"


def new_token(prefix):
    """Return a fresh 256-bit token; the prefix makes leaked tokens easy to recognise."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token):
    # Tokens carry 256 random bits, so a fast hash suffices (no brute force to slow down),
    # and it keeps the lookup a single indexed equality.
    return hashlib.sha256(token.encode()).hexdigest()
