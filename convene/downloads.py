"""Files people download: every CSV export answered the same way."""

import re
from collections.abc import Callable
from functools import wraps

from flask import Response

_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def csv_download(private: bool) -> Callable:
    """Answer a view's (filename, text) as a CSV attachment in UTF-8; a `private` one
    (a person's own data) is never stored by a cache.

    The text is what services.spreadsheets.write_csv wrote: the byte-order mark Excel
    needs, CRLF, formulas neutralised. The view is marked, so that a test finds every CSV
    from the URL map.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs) -> Response:
            filename, text = view(*args, **kwargs)
            safe_name = _UNSAFE_IN_FILENAME.sub("-", filename).strip("-.") or "export"
            response = Response(text, mimetype="text/csv")
            response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}.csv"'
            if private:
                response.headers["Cache-Control"] = "no-store"
            return response

        wrapper.csv_download = True
        return wrapper

    return decorate
