"""The base of every input schema: strings must be storable in both databases."""
from collections.abc import Mapping

import marshmallow as ma
from marshmallow import ValidationError, pre_load
from werkzeug.routing import BaseConverter
from werkzeug.routing import ValidationError as RouteMismatch

from .text import replace_surrogates

NUL = "\x00"
REPLACEMENT = "\ufffd"


def _clean(value):
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, list):
        return [replace_surrogates(v) if isinstance(v, str) else v for v in value]
    return value


class Schema(ma.Schema):
    """Lone surrogates become U+FFFD (see text.py). PostgreSQL text cannot hold NUL, so NUL is
    refused with a 422 (SQLite would take it: refusing everywhere keeps both databases alike).
    Fields named in NUL_REPLACED hold captured program output instead, which is never refused:
    there NUL becomes U+FFFD."""

    NUL_REPLACED = frozenset()

    @pre_load
    def refuse_nul(self, data, **_kw):
        if not isinstance(data, Mapping):  # webargs hands query args over as a Mapping
            return data
        errors, cleaned = {}, {k: _clean(v) for k, v in data.items()}
        for key, value in cleaned.items():
            strings = value if isinstance(value, list) else [value]
            if not any(isinstance(s, str) and NUL in s for s in strings):
                continue
            if key in self.NUL_REPLACED and isinstance(value, str):
                cleaned[key] = value.replace(NUL, REPLACEMENT)
            else:
                errors[key] = ["NUL characters are not allowed."]
        if errors:
            raise ValidationError(errors)
        return cleaned


class TextConverter(BaseConverter):
    """A path segment like `string`, minus NUL: no stored id can contain one, so 404."""

    def to_python(self, value):
        if NUL in value:
            raise RouteMismatch()
        return value
