"""`tinker.lib.public_interfaces.api_future` path."""

from tinker_ext._session.futures import APIFuture

AwaitableConcurrentFuture = APIFuture

__all__ = ["APIFuture", "AwaitableConcurrentFuture"]
