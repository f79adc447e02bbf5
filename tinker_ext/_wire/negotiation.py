"""Which wire a server speaks for forward/forward_backward bodies, decided once per ServiceClient.

Two generations exist (docs/PROTOCOL.md, Content types and wire generations): the legacy JSON dialect
(SDK <= 0.24; skyrl-tx 0.3.0: JSON `/forward_backward` and `/forward`) and the protobuf one (SDK >= 0.25;
skyrl 0.4.0, tuft: a protobuf `ForwardBackwardRequest` on `/forward_backward`, JSON refused with 415,
forward-only passes as `forward_only=true`, `/forward` gone). Every other request is JSON on both; results
are decoded by their content type whatever was sent, so only this one body needs a decision.

`wire="auto"` (the default) decides from what the server says:
- `client/config` answers -> protobuf (only SDK >= 0.18-era servers have it, and the current ones expect
  protobuf); `client/config` 404 -> JSON (legacy servers have no such route);
- then, per request, a refusal that names the other wire switches once: 415 Unsupported Media Type on
  either body, 404 for the legacy JSON `/forward`, or a protobuf body answered with any 4xx/5xx whose body
  says it could not be decoded (hatchery-core 0.3.0 answers `client/config` yet reads every body as JSON:
  500 "JSON decode error"). The refused request is resent on the other wire with the same seq_id and
  idempotency key: the server refused it before applying it. Until a protobuf body has been accepted once,
  it is sent without retries, so that refusal costs one request, not a minute of retried 500s; a plain 5xx
  (no decode error named) is then retried as usual and never switches the wire.
`wire="json"` / `wire="protobuf"` fix the wire and never switch.
"""

from __future__ import annotations

import logging
import re
from typing import Literal, get_args

from tinker_ext._core.exceptions import APIStatusError, InvalidInputError

__all__ = ["Wire", "WirePreference", "WireSelector"]

logger = logging.getLogger("tinker_ext.wire")

Wire = Literal["json", "protobuf"]
WirePreference = Literal["auto", "json", "protobuf"]
_PREFERENCES: frozenset[str] = frozenset(get_args(WirePreference))

_UNSUPPORTED_MEDIA_TYPE = 415
_NOT_FOUND = 404
# What servers say when a body is not in the format they read (FastAPI/pydantic, Python's codecs, JSON
# parsers); a server that reads protobuf bodies never answers one of these to a protobuf body.
_DECODE_ERROR = re.compile(
    r"decod|deserializ|json_invalid|invalid json|expecting value|can't parse|cannot parse|could not parse|"
    r"parse error|invalid start byte|codec can't|not valid json|unexpected character",
    re.IGNORECASE,
)


def names_decode_error(error: APIStatusError) -> bool:
    """The error body (or message) says the request body could not be decoded."""
    return bool(_DECODE_ERROR.search(f"{error.body!r} {error.message}"))


def _other(wire: Wire) -> Wire:
    return "protobuf" if wire == "json" else "json"


class WireSelector:
    """The wire of one ServiceClient (shared by its training clients)."""

    def __init__(self, preference: str = "auto") -> None:
        if preference not in _PREFERENCES:
            raise InvalidInputError(f"wire must be one of 'auto', 'json', 'protobuf'; got {preference!r}")
        self.preference: WirePreference = preference  # type: ignore[assignment]
        self._wire: Wire | None = None if preference == "auto" else preference  # type: ignore[assignment]
        self._switched = False
        self._protobuf_accepted = False

    def __repr__(self) -> str:
        return f"WireSelector(preference={self.preference!r}, wire={self._wire!r})"

    @property
    def wire(self) -> Wire | None:
        """The chosen wire; None while `auto` has not heard from the server yet."""
        return self._wire

    def decide_from_client_config(self, answered: bool) -> None:
        """`auto`: a server answering `client/config` gets protobuf, one without it JSON (once)."""
        if self._wire is None:
            self._wire = "protobuf" if answered else "json"
            logger.debug(
                "wire: %s (client/config %s)", self._wire, "answered" if answered else "not available"
            )

    def probing(self, wire: Wire) -> bool:
        """`auto` has not yet seen this server accept a protobuf body: send it without retries."""
        return self.preference == "auto" and wire == "protobuf" and not self._protobuf_accepted

    def accepted(self, wire: Wire) -> None:
        if wire == "protobuf":
            self._protobuf_accepted = True

    def fallback_after(self, wire: Wire, error: APIStatusError, *, forward_only: bool) -> Wire | None:
        """The wire to resend on when the server refused a `wire` body for being on the wrong wire, else
        None. Switches at most once, so two servers' worth of refusals cannot ping-pong."""
        if self.preference != "auto" or self._switched:
            return None
        status = error.status_code
        refused = (
            status == _UNSUPPORTED_MEDIA_TYPE
            or (wire == "json" and forward_only and status == _NOT_FOUND)  # no legacy /forward route
            or (wire == "protobuf" and not self._protobuf_accepted and names_decode_error(error))
        )
        if not refused:
            return None
        self._switched = True
        self._wire = _other(wire)
        logger.info(
            "The server refused a %s forward%s body (HTTP %d); switching this client to the %s wire",
            wire,
            "" if forward_only else "_backward",
            status,
            self._wire,
        )
        return self._wire
