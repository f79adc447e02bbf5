"""A base model the server does not serve is refused before a training run is created.

Servers create a model for any name they can load, and a local server given a name it cannot find may
train on its own model anyway (skyrl 0.4.0 serving `tiny/qwen3-2l` accepts `Qwen/Qwen3-8B`): the mistake
then shows only at sampling. `get_server_capabilities` lists what the server serves; it is asked once
per ServiceClient. A server without the route, or with an empty or unusable list, is not checked.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import APIStatusError, InvalidInputError, TinkerError
from tinker_ext._wire.calls import request_for

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext

__all__ = ["check_served_base_model"]

logger = logging.getLogger("tinker_ext")


async def _served(ctx: ClientContext) -> tuple[str, ...]:
    if ctx.served_base_models is not None:
        return ctx.served_base_models
    names: tuple[str, ...] = ()
    try:
        capabilities = await ctx.perform(request_for(endpoints.GET_SERVER_CAPABILITIES))
        listed = [model.model_name for model in capabilities.supported_models]
        if all(listed):  # a model without a name: the list cannot be checked against
            names = tuple(str(n) for n in listed)
    except (APIStatusError, TinkerError) as exc:
        if isinstance(exc, APIStatusError) and exc.status_code >= 500:
            raise
        logger.debug("get_server_capabilities unusable (%s): base models are not checked", type(exc).__name__)
    ctx.served_base_models = names
    return names


async def check_served_base_model(ctx: ClientContext, base_model: str) -> None:
    """Raise InvalidInputError naming the served models when the server lists models and `base_model`
    is not one of them (a `:variant` suffix is compared without it)."""
    names = await _served(ctx)
    if not names or base_model in names or base_model.split(":", 1)[0] in names:
        return
    raise InvalidInputError(
        f"the server at {ctx.http.base_url} does not serve base model {base_model!r}; "
        f"it serves: {', '.join(names)}"
    )
