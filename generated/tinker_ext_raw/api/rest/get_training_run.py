# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_scope import AccessScope
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.training_run import TrainingRun
from ...types import UNSET, Response, Unset


def _get_kwargs(
    training_run_id: str,
    *,
    access_scope: AccessScope | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_access_scope: str | Unset = UNSET
    if not isinstance(access_scope, Unset):
        json_access_scope = access_scope

    params["access_scope"] = json_access_scope

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/training_runs/{training_run_id}".format(
            training_run_id=quote(str(training_run_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | TrainingRun | None:
    if response.status_code == 200:
        response_200 = TrainingRun.from_dict(response.json())

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
) -> Response[ErrorResponse | HTTPValidationError | TrainingRun]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    training_run_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | TrainingRun]:
    """
    Args:
        training_run_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | TrainingRun]
    """

    kwargs = _get_kwargs(
        training_run_id=training_run_id,
        access_scope=access_scope,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    training_run_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | TrainingRun | None:
    """
    Args:
        training_run_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | TrainingRun
    """

    return sync_detailed(
        training_run_id=training_run_id,
        client=client,
        access_scope=access_scope,
    ).parsed


async def asyncio_detailed(
    training_run_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> Response[ErrorResponse | HTTPValidationError | TrainingRun]:
    """
    Args:
        training_run_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | TrainingRun]
    """

    kwargs = _get_kwargs(
        training_run_id=training_run_id,
        access_scope=access_scope,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    training_run_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> ErrorResponse | HTTPValidationError | TrainingRun | None:
    """
    Args:
        training_run_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | TrainingRun
    """

    return (
        await asyncio_detailed(
            training_run_id=training_run_id,
            client=client,
            access_scope=access_scope,
        )
    ).parsed
