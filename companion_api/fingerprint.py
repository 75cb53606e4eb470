"""The artifact fingerprint: which runs are "the same block" across devices and pages."""
import hashlib
import re
import uuid

from .text import utf8

# The seed chat app's marker, `<!-- executable: Title -->`, sits on the first line of a block.
_MARKER = re.compile(r"^\s*<!--\s*executable:.*-->\s*$")


def normalise_code(code):
    """Newlines to \\n, then drop a leading marker line: the code as it actually ran."""
    text = code.replace("\r\n", "\n").replace("\r", "\n")
    first, sep, rest = text.partition("\n")
    if _MARKER.match(first):
        return rest
    return text


def artifact_uuid(code):
    """UUIDv5 in the URL namespace of "sha256:<hex of the normalised code>" (as UTF-8, lone
    surrogates as U+FFFD: what the browser's TextEncoder hashes)."""
    digest = hashlib.sha256(utf8(normalise_code(code))).hexdigest()
    return uuid.uuid5(uuid.NAMESPACE_URL, "sha256:" + digest)
