"""The configured origin: base URL checks, where the API key may go, which redirects are followed.

Credentials only ever go to the origin (scheme, host, port) of the configured base URL: `OriginKeyAuth`
adds the key header to a request only when its URL has that origin, whatever path led to the request.
Redirects are never followed by httpx; `redirect_target` decides each hop: a redirect to another origin
is a `RedirectError` naming that origin (the API key was never sent there), and only redirects that keep
the method and body (307/308, or any redirect of a GET) are followed, at most `MAX_REDIRECTS` times.
The checkpoint download follows redirects to storage elsewhere with the same rules, minus the key.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from tinker_ext._core.exceptions import InvalidInputError, RedirectError
from tinker_ext._wire.credentials import ApiKey

__all__ = [
    "API_KEY_HEADER",
    "MAX_REDIRECTS",
    "OriginKeyAuth",
    "check_base_url",
    "display_origin",
    "is_redirect",
    "is_redirect_status",
    "origin_of",
    "redirect_target",
    "same_origin",
]

API_KEY_HEADER = "X-API-Key"
MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_METHOD_KEEPING = frozenset({307, 308})


def check_base_url(url: object) -> str:
    """The base URL without a trailing slash; InvalidInputError unless it is scheme://host[:port][/path].

    A query, fragment or user name/password is refused: request paths are appended to the base URL, so
    a query would travel inside every path, and either is where a pasted key ends up. No message here
    repeats the URL's text beyond its origin (that text may carry a key).
    """
    if not isinstance(url, str | httpx.URL):
        raise InvalidInputError(f"base_url must be a string, got {type(url).__name__}")
    text = str(url).strip()
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise InvalidInputError(
            "base_url is not a valid URL; it must be scheme://host[:port][/path]"
        ) from None
    if parsed.scheme not in ("http", "https"):
        raise InvalidInputError(
            "base_url must be an absolute http:// or https:// URL "
            f"(got scheme {_shown_scheme(parsed.scheme)!r})"
        )
    if not parsed.host:
        raise InvalidInputError("base_url has no host")
    if parsed.userinfo or "@" in text.partition("://")[2].split("/", 1)[0]:
        raise InvalidInputError("base_url must not contain a user name or password; pass the key as api_key")
    for mark, part in (("?", "a query"), ("#", "a fragment")):
        if mark in text:
            raise InvalidInputError(
                f"base_url of {display_origin(parsed)} has {part} ({mark}...): it must be "
                "scheme://host[:port][/path]; pass the key as api_key"
            )
    return text.rstrip("/")


def _shown_scheme(scheme: str) -> str:
    """The scheme as given when it looks like one (a misplaced key does not), else a placeholder."""
    if scheme and len(scheme) <= 10 and scheme.isascii() and scheme.isalpha():
        return scheme
    return "none" if not scheme else "<not a scheme>"


def display_origin(url: httpx.URL | str) -> str:
    """`scheme://host[:port]` as configured: what reprs and messages show of a base URL."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host  # IPv6 literals keep their brackets
    port = f":{parsed.port}" if parsed.port is not None else ""
    return f"{parsed.scheme}://{host}{port}"


def origin_of(url: httpx.URL | str) -> str:
    """`scheme://host:port` (default ports made explicit, so equal origins compare equal)."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return f"{parsed.scheme}://{parsed.host}:{port}"


def same_origin(a: httpx.URL | str, b: httpx.URL | str) -> bool:
    return origin_of(a) == origin_of(b)


class OriginKeyAuth(httpx.Auth):
    """Adds the API key header to requests for the configured origin only (and removes any other
    copy of it: a header set by the caller must not reach another origin either)."""

    def __init__(self, api_key: ApiKey, base_url: str) -> None:
        self._api_key = api_key
        self._origin = origin_of(base_url)

    def __repr__(self) -> str:
        return f"OriginKeyAuth(origin={self._origin!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if origin_of(request.url) == self._origin:
            request.headers[API_KEY_HEADER] = self._api_key.reveal()
        else:
            request.headers.pop(API_KEY_HEADER, None)
        yield request


def is_redirect(response: httpx.Response) -> bool:
    return response.status_code in _REDIRECT_STATUSES


def is_redirect_status(status_code: int) -> bool:
    return status_code in _REDIRECT_STATUSES


def redirect_target(
    response: httpx.Response, *, allowed_origin: str | None, hops: int, what: str
) -> httpx.URL:
    """Where a redirect `response` leads, if the SDK follows it; else RedirectError.

    `allowed_origin`: the only origin followed (None: any origin, for downloads from storage).
    `hops`: redirects followed so far for this request.
    """
    request = response.request
    location = response.headers.get("Location")
    if not location:
        raise RedirectError(
            f"{what}: HTTP {response.status_code} redirect without a Location header", target_origin=None
        )
    try:
        target = request.url.join(location)
        target_origin = origin_of(target)
    except (httpx.InvalidURL, ValueError) as exc:
        raise RedirectError(f"{what}: invalid redirect Location ({exc})", target_origin=None) from None
    if target.scheme not in ("http", "https"):
        raise RedirectError(
            f"{what}: refusing a redirect to a non-HTTP URL ({target.scheme}:)", target_origin=target_origin
        )
    if allowed_origin is not None and target_origin != allowed_origin:
        raise RedirectError(
            f"{what}: the server redirected to another origin, {target_origin}; not followed (the API key "
            f"is only ever sent to {allowed_origin}). Point base_url at the server that answers directly.",
            target_origin=target_origin,
        )
    if response.status_code not in _METHOD_KEEPING and request.method not in ("GET", "HEAD"):
        raise RedirectError(
            f"{what}: HTTP {response.status_code} redirect of a {request.method} would turn it into a GET; "
            "not followed",
            target_origin=target_origin,
        )
    if hops >= MAX_REDIRECTS:
        raise RedirectError(f"{what}: more than {MAX_REDIRECTS} redirects", target_origin=target_origin)
    return target


def follow(request: httpx.Request, target: httpx.URL) -> httpx.Request:
    """The same request (method, headers, body) sent to `target`; the auth re-decides the key."""
    headers = httpx.Headers(request.headers)
    headers.pop(API_KEY_HEADER, None)
    headers.pop("Host", None)
    return httpx.Request(
        request.method, target, headers=headers, content=request.content, extensions=request.extensions
    )
