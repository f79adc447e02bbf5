# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.copy_weights_request import CopyWeightsRequest
from ...models.copy_weights_response import CopyWeightsResponse
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CopyWeightsRequest,
    x_idempotency_key: str | Unset = UNSET,
    x_tinker_weights_access_token: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_idempotency_key, Unset):
        headers["X-Idempotency-Key"] = x_idempotency_key

    if not isinstance(x_tinker_weights_access_token, Unset):
        headers["X-Tinker-Weights-Access-Token"] = x_tinker_weights_access_token

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/copy_weights",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CopyWeightsResponse | ErrorResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = CopyWeightsResponse.from_dict(response.json())

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
) -> Response[CopyWeightsResponse | ErrorResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CopyWeightsRequest,
    x_idempotency_key: str | Unset = UNSET,
    x_tinker_weights_access_token: str | Unset = UNSET,
) -> Response[CopyWeightsResponse | ErrorResponse | HTTPValidationError]:
    """
    Args:
        x_idempotency_key (str | Unset):
        x_tinker_weights_access_token (str | Unset):
        body (CopyWeightsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CopyWeightsResponse | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
        x_idempotency_key=x_idempotency_key,
        x_tinker_weights_access_token=x_tinker_weights_access_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CopyWeightsRequest,
    x_idempotency_key: str | Unset = UNSET,
    x_tinker_weights_access_token: str | Unset = UNSET,
) -> CopyWeightsResponse | ErrorResponse | HTTPValidationError | None:
    """
    Args:
        x_idempotency_key (str | Unset):
        x_tinker_weights_access_token (str | Unset):
        body (CopyWeightsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CopyWeightsResponse | ErrorResponse | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
        x_idempotency_key=x_idempotency_key,
        x_tinker_weights_access_token=x_tinker_weights_access_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CopyWeightsRequest,
    x_idempotency_key: str | Unset = UNSET,
    x_tinker_weights_access_token: str | Unset = UNSET,
) -> Response[CopyWeightsResponse | ErrorResponse | HTTPValidationError]:
    """
    Args:
        x_idempotency_key (str | Unset):
        x_tinker_weights_access_token (str | Unset):
        body (CopyWeightsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CopyWeightsResponse | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
        x_idempotency_key=x_idempotency_key,
        x_tinker_weights_access_token=x_tinker_weights_access_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CopyWeightsRequest,
    x_idempotency_key: str | Unset = UNSET,
    x_tinker_weights_access_token: str | Unset = UNSET,
) -> CopyWeightsResponse | ErrorResponse | HTTPValidationError | None:
    """
    Args:
        x_idempotency_key (str | Unset):
        x_tinker_weights_access_token (str | Unset):
        body (CopyWeightsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CopyWeightsResponse | ErrorResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_idempotency_key=x_idempotency_key,
            x_tinker_weights_access_token=x_tinker_weights_access_token,
        )
    ).parsed
