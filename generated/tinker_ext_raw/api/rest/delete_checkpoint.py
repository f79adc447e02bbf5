# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.checkpoint_kind import CheckpointKind
from ...models.empty_response import EmptyResponse
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    training_run_id: str,
    checkpoint_kind: CheckpointKind,
    checkpoint_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/training_runs/{training_run_id}/checkpoints/{checkpoint_kind}/{checkpoint_name}".format(
            training_run_id=quote(str(training_run_id), safe=""),
            checkpoint_kind=quote(str(checkpoint_kind), safe=""),
            checkpoint_name=quote(str(checkpoint_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | EmptyResponse | ErrorResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = EmptyResponse.from_dict(response.json())

        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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
) -> Response[Any | EmptyResponse | ErrorResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    training_run_id: str,
    checkpoint_kind: CheckpointKind,
    checkpoint_name: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | EmptyResponse | ErrorResponse | HTTPValidationError]:
    """
    Args:
        training_run_id (str):
        checkpoint_kind (CheckpointKind):
        checkpoint_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EmptyResponse | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        training_run_id=training_run_id,
        checkpoint_kind=checkpoint_kind,
        checkpoint_name=checkpoint_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    training_run_id: str,
    checkpoint_kind: CheckpointKind,
    checkpoint_name: str,
    *,
    client: AuthenticatedClient,
) -> Any | EmptyResponse | ErrorResponse | HTTPValidationError | None:
    """
    Args:
        training_run_id (str):
        checkpoint_kind (CheckpointKind):
        checkpoint_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EmptyResponse | ErrorResponse | HTTPValidationError
    """

    return sync_detailed(
        training_run_id=training_run_id,
        checkpoint_kind=checkpoint_kind,
        checkpoint_name=checkpoint_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    training_run_id: str,
    checkpoint_kind: CheckpointKind,
    checkpoint_name: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | EmptyResponse | ErrorResponse | HTTPValidationError]:
    """
    Args:
        training_run_id (str):
        checkpoint_kind (CheckpointKind):
        checkpoint_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EmptyResponse | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        training_run_id=training_run_id,
        checkpoint_kind=checkpoint_kind,
        checkpoint_name=checkpoint_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    training_run_id: str,
    checkpoint_kind: CheckpointKind,
    checkpoint_name: str,
    *,
    client: AuthenticatedClient,
) -> Any | EmptyResponse | ErrorResponse | HTTPValidationError | None:
    """
    Args:
        training_run_id (str):
        checkpoint_kind (CheckpointKind):
        checkpoint_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EmptyResponse | ErrorResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            training_run_id=training_run_id,
            checkpoint_kind=checkpoint_kind,
            checkpoint_name=checkpoint_name,
            client=client,
        )
    ).parsed
