# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.forward_backward_request import ForwardBackwardRequest
from ...models.http_validation_error import HTTPValidationError
from ...models.untyped_api_future import UntypedAPIFuture
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: ForwardBackwardRequest | File | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/forward_backward",
    }

    if isinstance(body, ForwardBackwardRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/x-protobuf"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | UntypedAPIFuture | None:
    if response.status_code == 200:
        response_200 = UntypedAPIFuture.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | HTTPValidationError | UntypedAPIFuture]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ForwardBackwardRequest | File | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | UntypedAPIFuture]:
    """Forward and backward pass; the future resolves to `ForwardBackwardOutput`. JSON body as sent by SDK
    <= 0.22.2 (and by 0.24 unless the server enables protobuf), skyrl-tx and tinkex. SDK >= 0.25 sends a
    protobuf `tinker_public.ForwardBackwardRequest` (optionally `Content-Encoding: zstd`), with
    `forward_only: true` for forward passes. A server that takes only one of the two answers the other
    with 415 (skyrl 0.4.0 and tuft refuse JSON), before applying anything.

    Args:
        body (ForwardBackwardRequest):
        body (File): Serialized `tinker_public` protobuf message (optionally zstd-compressed on
            requests, with
            `Content-Encoding: zstd`). The messages are defined in `tinker_public.proto` beside this
            file; each
            use names its message in `x-protobuf-message`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | UntypedAPIFuture]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ForwardBackwardRequest | File | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | UntypedAPIFuture | None:
    """Forward and backward pass; the future resolves to `ForwardBackwardOutput`. JSON body as sent by SDK
    <= 0.22.2 (and by 0.24 unless the server enables protobuf), skyrl-tx and tinkex. SDK >= 0.25 sends a
    protobuf `tinker_public.ForwardBackwardRequest` (optionally `Content-Encoding: zstd`), with
    `forward_only: true` for forward passes. A server that takes only one of the two answers the other
    with 415 (skyrl 0.4.0 and tuft refuse JSON), before applying anything.

    Args:
        body (ForwardBackwardRequest):
        body (File): Serialized `tinker_public` protobuf message (optionally zstd-compressed on
            requests, with
            `Content-Encoding: zstd`). The messages are defined in `tinker_public.proto` beside this
            file; each
            use names its message in `x-protobuf-message`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | UntypedAPIFuture
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ForwardBackwardRequest | File | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | UntypedAPIFuture]:
    """Forward and backward pass; the future resolves to `ForwardBackwardOutput`. JSON body as sent by SDK
    <= 0.22.2 (and by 0.24 unless the server enables protobuf), skyrl-tx and tinkex. SDK >= 0.25 sends a
    protobuf `tinker_public.ForwardBackwardRequest` (optionally `Content-Encoding: zstd`), with
    `forward_only: true` for forward passes. A server that takes only one of the two answers the other
    with 415 (skyrl 0.4.0 and tuft refuse JSON), before applying anything.

    Args:
        body (ForwardBackwardRequest):
        body (File): Serialized `tinker_public` protobuf message (optionally zstd-compressed on
            requests, with
            `Content-Encoding: zstd`). The messages are defined in `tinker_public.proto` beside this
            file; each
            use names its message in `x-protobuf-message`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | UntypedAPIFuture]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ForwardBackwardRequest | File | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | UntypedAPIFuture | None:
    """Forward and backward pass; the future resolves to `ForwardBackwardOutput`. JSON body as sent by SDK
    <= 0.22.2 (and by 0.24 unless the server enables protobuf), skyrl-tx and tinkex. SDK >= 0.25 sends a
    protobuf `tinker_public.ForwardBackwardRequest` (optionally `Content-Encoding: zstd`), with
    `forward_only: true` for forward passes. A server that takes only one of the two answers the other
    with 415 (skyrl 0.4.0 and tuft refuse JSON), before applying anything.

    Args:
        body (ForwardBackwardRequest):
        body (File): Serialized `tinker_public` protobuf message (optionally zstd-compressed on
            requests, with
            `Content-Encoding: zstd`). The messages are defined in `tinker_public.proto` beside this
            file; each
            use names its message in `x-protobuf-message`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | UntypedAPIFuture
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
