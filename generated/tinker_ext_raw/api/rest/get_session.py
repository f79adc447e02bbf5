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
from ...models.get_session_response import GetSessionResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    session_id: str,
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
        "url": "/api/v1/sessions/{session_id}".format(
            session_id=quote(str(session_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetSessionResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = GetSessionResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetSessionResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> Response[ErrorResponse | GetSessionResponse | HTTPValidationError]:
    """
    Args:
        session_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetSessionResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        access_scope=access_scope,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    session_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> ErrorResponse | GetSessionResponse | HTTPValidationError | None:
    """
    Args:
        session_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetSessionResponse | HTTPValidationError
    """

    return sync_detailed(
        session_id=session_id,
        client=client,
        access_scope=access_scope,
    ).parsed


async def asyncio_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> Response[ErrorResponse | GetSessionResponse | HTTPValidationError]:
    """
    Args:
        session_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetSessionResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        access_scope=access_scope,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    session_id: str,
    *,
    client: AuthenticatedClient,
    access_scope: AccessScope | Unset = UNSET,
) -> ErrorResponse | GetSessionResponse | HTTPValidationError | None:
    """
    Args:
        session_id (str):
        access_scope (AccessScope | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetSessionResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            session_id=session_id,
            client=client,
            access_scope=access_scope,
        )
    ).parsed
