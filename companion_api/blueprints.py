"""Blueprint constructors: private ones demand a bearer token before any view runs."""
import marshmallow as ma
from flask_smorest import Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from . import text
from .auth import require_token


class StrictParser(FlaskParser):
    # webargs ignores unknown query parameters by default; a typo'd filter must not silently
    # return everything, so the query string is as strict as JSON bodies.
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}

    def _raw_load_json(self, req):
        """webargs' JSON loading, through text.loads: too deep is a 400, surrogates U+FFFD."""
        if not is_json_request(req):
            return core.missing
        return text.loads(req.get_data(cache=True))


class ChatrunBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()

    def arguments(self, schema, **kwargs):
        # Given a class, webargs builds the schema (and its nested ones) on every request; one
        # instance per view serves them all (loading keeps no state in the schema).
        return super().arguments(schema() if isinstance(schema, type) else schema, **kwargs)


def private_blueprint(name, url_prefix, description):
    blp = ChatrunBlueprint(name, name, url_prefix=url_prefix, description=description)
    blp.before_request(require_token)
    return blp


def public_blueprint(name, url_prefix, description):
    # The spec's global security requirement is lifted per operation with PUBLIC.
    return ChatrunBlueprint(name, name, url_prefix=url_prefix, description=description)


PUBLIC = {"security": []}
