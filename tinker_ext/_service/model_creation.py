"""Creating a training model: `create_model` (then the model's info), or from a checkpoint (its config from
`weights_info`, then `load_weights`). The ServiceClient's create_* methods run these on the SDK loop."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any

import attrs
from tinker_ext_raw import endpoints

from tinker_ext._core.exceptions import InvalidInputError, NotFoundError
from tinker_ext._wire.calls import submit_request
from tinker_ext._wire.validation import check_encodable

if TYPE_CHECKING:
    from tinker_ext._session.context import ClientContext
    from tinker_ext._training.client import TrainingClient
    from tinker_ext._training.recovery_policy import RecoveryPolicy
    from tinker_ext.types import OptimizerConfig

__all__ = ["LoraSettings", "check_policy", "create_lora", "create_recoverable", "from_state"]


@attrs.frozen
class LoraSettings:
    rank: int
    seed: int | None
    train_mlp: bool
    train_attn: bool
    train_unembed: bool


async def create_lora(
    ctx: ClientContext,
    base_model: str,
    lora: LoraSettings,
    user_metadata: Mapping[str, Any] | None,
    optimizer: OptimizerConfig | None = None,
) -> TrainingClient:
    """create_model (in the session, created first if need be) -> a TrainingClient with its info."""
    from tinker_ext._service.served_models import check_served_base_model
    from tinker_ext._training.client import TrainingClient
    from tinker_ext.types import CreateModelRequest, CreateModelResponse, LoraConfig, OptimizerConfigBase

    if optimizer is not None and not isinstance(optimizer, OptimizerConfigBase):
        raise InvalidInputError(
            "optimizer must be AdamOptimizerConfig, DimuonOptimizerConfig or OptimizerConfigBase, "
            f"got {type(optimizer).__name__}"
        )
    if not isinstance(base_model, str) or not base_model:
        raise InvalidInputError("base_model must be a non-empty string")
    rank, seed = lora.rank, lora.seed
    if not isinstance(rank, int) or isinstance(rank, bool) or rank <= 0:
        raise InvalidInputError(f"rank must be a positive integer, got {rank!r}")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise InvalidInputError(f"seed must be an int or None, got {type(seed).__name__} {seed!r}")
    # Before the session is created: the model's fields must be sendable at all.
    check_encodable({"base_model": base_model, "seed": seed, "user_metadata": user_metadata})
    await check_served_base_model(ctx, base_model)  # before a session or model exists
    model_seq_id = ctx.next_model_seq_id()
    session_id = await ctx.ensure_session()
    await ctx.ensure_client_config()
    body = CreateModelRequest(
        session_id=session_id,
        model_seq_id=model_seq_id,
        base_model=base_model,
        lora_config=LoraConfig(
            rank=rank,
            seed=seed,
            train_unembed=lora.train_unembed,
            train_mlp=lora.train_mlp,
            train_attn=lora.train_attn,
        ),
        user_metadata=None if user_metadata is None else dict(user_metadata),
        # None: the key stays out (the server's default, AdamW); tuft 0.2.2 refuses it with 422
        optimizer_config=optimizer,
    )
    promise = await ctx.perform(submit_request(endpoints.CREATE_MODEL, body))
    created = await ctx.wait_future(promise, CreateModelResponse.from_wire, "CreateModel")
    client = TrainingClient(ctx, created.model_id)  # a non-empty id (minLength 1 in the spec)
    await client._fetch_info()
    return client


async def from_state(
    ctx: ClientContext,
    path: str,
    base_model: str | None,
    user_metadata: Mapping[str, Any] | None,
    weights_access_token: str | None,
    optimizer: OptimizerConfig | None,
    with_optimizer: bool,
) -> TrainingClient:
    """weights_info(path) -> a LoRA client with the checkpoint's config -> load_weights."""
    from tinker_ext._rest.client import RestClient
    from tinker_ext.types import ParsedCheckpointTinkerPath

    ParsedCheckpointTinkerPath.from_tinker_path(path)  # the one strict parser
    info = await RestClient._from_context(ctx)._weights_info(path, weights_access_token)
    lora = LoraSettings(
        int(info.lora_rank or 32),
        None,
        _flag(info.train_mlp),
        _flag(info.train_attn),
        _flag(info.train_unembed),
    )
    client = await create_lora(ctx, base_model or info.base_model, lora, user_metadata, optimizer)
    await client._load(path, weights_access_token, optimizer=with_optimizer).result_async()
    return client


def _flag(value: Any) -> bool:
    return True if value is None else bool(value)


def check_policy(policy: object) -> None:
    """`recovery=` is None or a RecoveryPolicy (checked before any model is created)."""
    from tinker_ext._training.recovery_policy import RecoveryPolicy

    if policy is not None and not isinstance(policy, RecoveryPolicy):
        raise InvalidInputError(f"recovery must be a RecoveryPolicy or None, got {type(policy).__name__}")


async def create_recoverable(
    ctx: ClientContext,
    first: Callable[[], Coroutine[Any, Any, TrainingClient]],
    policy: RecoveryPolicy | None,
    *,
    base_model: str | None,
    user_metadata: Mapping[str, Any] | None,
    optimizer: OptimizerConfig | None,
) -> TrainingClient:
    """The client `first()` creates; under `policy` (`_training.recovery`) when one is given (checked
    before anything is sent). Its models are then recreated from the last checkpoint (weights and optimizer
    state), or by `first()` (how the run began) before any checkpoint. A server that no longer knows the
    session (404 naming it) gets a new session, once per recreation."""
    from tinker_ext._training.recovery import RecoveringTrainingClient

    check_policy(policy)
    client = await first()
    if policy is None:
        return client

    async def recreate(path: str | None) -> TrainingClient:
        for attempt in range(2):
            try:
                if path is None:
                    return await first()
                return await from_state(ctx, path, base_model, user_metadata, None, optimizer, True)
            except NotFoundError as exc:
                if attempt or "session" not in str(exc).lower():
                    raise
                await ctx.forget_session()
        raise AssertionError("unreachable")

    return RecoveringTrainingClient(ctx, client, policy, recreate)
