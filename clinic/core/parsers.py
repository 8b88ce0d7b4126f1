"""The API's JSON parser: malformed, absurdly nested or unstorable JSON is a 400, never a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .inputs import UNSTORABLE_TEXT, unstorable_text_in


class JSONParser(parsers.JSONParser):
    """DRF's parser, also refusing what Python's json module cannot nest (RecursionError) and
    text PostgreSQL cannot store (NUL, lone surrogates), whichever field it is in."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except (RecursionError, ValueError) as exc:
            raise ParseError("JSON parse error: the body is not JSON this API can read.") from exc
        if unstorable_text_in(data):
            raise ParseError(UNSTORABLE_TEXT)
        return data
