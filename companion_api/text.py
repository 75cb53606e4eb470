"""Text every layer can hold: lone UTF-16 surrogates replaced, JSON parsed without crashing.

A lone surrogate reaches the API as a JSON escape (`console.log('\\uD800')` makes one; the
browser's JSON.stringify escapes it). It cannot be encoded as UTF-8, so neither database, hash nor
response could hold it. The server replaces it with U+FFFD, as the browser's TextEncoder does, so
the client and the server see the same text (docs/api.md, "Bad input").
"""
import json
import re

from flask.json.provider import DefaultJSONProvider

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# In JSON text, left to right: an escaped backslash (skipped, so `\\uD800` stays text), a valid
# surrogate pair escape (kept), or a lone surrogate escape (replaced).
_JSON_ESCAPE = re.compile(r"(\\\\)|(\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                          r"|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")
_MAYBE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def replace_surrogates(text):
    """The text with every lone surrogate turned into U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATE.sub(REPLACEMENT, text)


def utf8(text):
    """UTF-8 bytes of any str (lone surrogates as U+FFFD): never raises."""
    return replace_surrogates(text).encode("utf-8")


def _escape_fix(match):
    return r"\ufffd" if match.group(3) else match.group(0)


def loads(data):
    """json.loads that raises only JSONDecodeError or UnicodeDecodeError, both ValueErrors (so
    callers answer 400/422, never 500): lone
    surrogate escapes become U+FFFD, nesting too deep for the parser is refused."""
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    if _MAYBE_SURROGATE_ESCAPE.search(text):
        text = _JSON_ESCAPE.sub(_escape_fix, text)
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("JSON nested too deeply", text, 0) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of more than 4300 digits
        raise json.JSONDecodeError(str(exc), text, 0) from None


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading bodies with `loads` above (request.get_json and friends)."""

    def loads(self, s, **kwargs):
        return loads(s)
