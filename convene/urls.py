"""Absolute links for e-mails and feeds, always built on BASE_URL.

Links that leave the site are never built from the request's Host header, so a forged
header cannot plant another site's address in a password-reset e-mail.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)
