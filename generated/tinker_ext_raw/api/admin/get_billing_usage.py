# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.billing_usage_response import BillingUsageResponse
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response


def _get_kwargs(
    *,
    starting_on: datetime.datetime,
    ending_before: datetime.datetime,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_starting_on = starting_on.isoformat()
    params["starting_on"] = json_starting_on

    json_ending_before = ending_before.isoformat()
    params["ending_before"] = json_ending_before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/billing/usage/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BillingUsageResponse | ErrorResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = BillingUsageResponse.from_dict(response.json())

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
) -> Response[BillingUsageResponse | ErrorResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    starting_on: datetime.datetime,
    ending_before: datetime.datetime,
) -> Response[BillingUsageResponse | ErrorResponse | HTTPValidationError]:
    """
    Args:
        starting_on (datetime.datetime):
        ending_before (datetime.datetime):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingUsageResponse | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        starting_on=starting_on,
        ending_before=ending_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    starting_on: datetime.datetime,
    ending_before: datetime.datetime,
) -> BillingUsageResponse | ErrorResponse | HTTPValidationError | None:
    """
    Args:
        starting_on (datetime.datetime):
        ending_before (datetime.datetime):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingUsageResponse | ErrorResponse | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        starting_on=starting_on,
        ending_before=ending_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    starting_on: datetime.datetime,
    ending_before: datetime.datetime,
) -> Response[BillingUsageResponse | ErrorResponse | HTTPValidationError]:
    """
    Args:
        starting_on (datetime.datetime):
        ending_before (datetime.datetime):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingUsageResponse | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        starting_on=starting_on,
        ending_before=ending_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    starting_on: datetime.datetime,
    ending_before: datetime.datetime,
) -> BillingUsageResponse | ErrorResponse | HTTPValidationError | None:
    """
    Args:
        starting_on (datetime.datetime):
        ending_before (datetime.datetime):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingUsageResponse | ErrorResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            starting_on=starting_on,
            ending_before=ending_before,
        )
    ).parsed
