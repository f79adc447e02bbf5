# GENERATED from openapi.yaml by codegen/generate.py (openapi-python-client). DO NOT EDIT.
# Change openapi.yaml or codegen/ and run `nox -s codegen` instead.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.future_completed_result import FutureCompletedResult
from ...models.future_metadata_only_response import FutureMetadataOnlyResponse
from ...models.future_retrieve_request import FutureRetrieveRequest
from ...models.http_validation_error import HTTPValidationError
from ...models.request_failed_response import RequestFailedResponse
from ...models.try_again_response import TryAgainResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: FutureRetrieveRequest,
    x_tinker_request_iteration: int | Unset = UNSET,
    x_tinker_request_type: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_tinker_request_iteration, Unset):
        headers["X-Tinker-Request-Iteration"] = str(x_tinker_request_iteration)

    if not isinstance(x_tinker_request_type, Unset):
        headers["X-Tinker-Request-Type"] = x_tinker_request_type

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/retrieve_future",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorResponse
    | FutureCompletedResult
    | FutureMetadataOnlyResponse
    | RequestFailedResponse
    | TryAgainResponse
    | HTTPValidationError
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> FutureCompletedResult | FutureMetadataOnlyResponse | RequestFailedResponse | TryAgainResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_future_retrieve_response_type_0 = TryAgainResponse.from_dict(data)

                return componentsschemas_future_retrieve_response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_future_retrieve_response_type_1 = FutureMetadataOnlyResponse.from_dict(data)

                return componentsschemas_future_retrieve_response_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_future_retrieve_response_type_2 = RequestFailedResponse.from_dict(data)

                return componentsschemas_future_retrieve_response_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_future_retrieve_response_type_3 = FutureCompletedResult.from_dict(data)

            return componentsschemas_future_retrieve_response_type_3

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 408:
        response_408 = ErrorResponse.from_dict(response.json())

        return response_408

    if response.status_code == 410:
        response_410 = ErrorResponse.from_dict(response.json())

        return response_410

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
) -> Response[
    ErrorResponse
    | FutureCompletedResult
    | FutureMetadataOnlyResponse
    | RequestFailedResponse
    | TryAgainResponse
    | HTTPValidationError
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FutureRetrieveRequest,
    x_tinker_request_iteration: int | Unset = UNSET,
    x_tinker_request_type: str | Unset = UNSET,
) -> Response[
    ErrorResponse
    | FutureCompletedResult
    | FutureMetadataOnlyResponse
    | RequestFailedResponse
    | TryAgainResponse
    | HTTPValidationError
]:
    """Long-polls one future. How a client classifies an HTTP 200 body, in this order:
    1. `Content-Type` contains `application/x-protobuf`: a protobuf `ForwardBackwardOutput` or
       `SampleResponse` (SDK >= 0.25 asks for it with `Accept: application/x-protobuf`).
    2. JSON with `"type": "try_again"`: `TryAgainResponse`, poll again at once.
    3. JSON with `"status": "complete_metadata"`: `FutureMetadataOnlyResponse`, poll again with
       `allow_metadata_only: false`.
    4. JSON containing the key `"error"`: `RequestFailedResponse` (not retried).
    5. Any other JSON object: the completed result, typed by the operation that created the future
       (`CreateModelResponse`, `ForwardBackwardOutput`, `OptimStepResponse`, `SaveWeightsResponse`,
       `SaveWeightsForSamplerResponseInternal`, `SaveWeightsExternalResponseInternal`,
    `LoadWeightsResponse`,
       `UnloadModelResponse`, `CreateCustomLossResponse`, `SampleResponse`). Result bodies usually carry
       no `type` tag, so they cannot be told apart from the body alone.
    Transport-level: 408 = poll again (skyrl-tx after 300 s), 410 = promise expired, skyrl-tx reports a
    failed request as 400/500 `{"detail": ...}`.

    Args:
        x_tinker_request_iteration (int | Unset):
        x_tinker_request_type (str | Unset):
        body (FutureRetrieveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FutureCompletedResult | FutureMetadataOnlyResponse | RequestFailedResponse | TryAgainResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
        x_tinker_request_iteration=x_tinker_request_iteration,
        x_tinker_request_type=x_tinker_request_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: FutureRetrieveRequest,
    x_tinker_request_iteration: int | Unset = UNSET,
    x_tinker_request_type: str | Unset = UNSET,
) -> (
    ErrorResponse
    | FutureCompletedResult
    | FutureMetadataOnlyResponse
    | RequestFailedResponse
    | TryAgainResponse
    | HTTPValidationError
    | None
):
    """Long-polls one future. How a client classifies an HTTP 200 body, in this order:
    1. `Content-Type` contains `application/x-protobuf`: a protobuf `ForwardBackwardOutput` or
       `SampleResponse` (SDK >= 0.25 asks for it with `Accept: application/x-protobuf`).
    2. JSON with `"type": "try_again"`: `TryAgainResponse`, poll again at once.
    3. JSON with `"status": "complete_metadata"`: `FutureMetadataOnlyResponse`, poll again with
       `allow_metadata_only: false`.
    4. JSON containing the key `"error"`: `RequestFailedResponse` (not retried).
    5. Any other JSON object: the completed result, typed by the operation that created the future
       (`CreateModelResponse`, `ForwardBackwardOutput`, `OptimStepResponse`, `SaveWeightsResponse`,
       `SaveWeightsForSamplerResponseInternal`, `SaveWeightsExternalResponseInternal`,
    `LoadWeightsResponse`,
       `UnloadModelResponse`, `CreateCustomLossResponse`, `SampleResponse`). Result bodies usually carry
       no `type` tag, so they cannot be told apart from the body alone.
    Transport-level: 408 = poll again (skyrl-tx after 300 s), 410 = promise expired, skyrl-tx reports a
    failed request as 400/500 `{"detail": ...}`.

    Args:
        x_tinker_request_iteration (int | Unset):
        x_tinker_request_type (str | Unset):
        body (FutureRetrieveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FutureCompletedResult | FutureMetadataOnlyResponse | RequestFailedResponse | TryAgainResponse | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
        x_tinker_request_iteration=x_tinker_request_iteration,
        x_tinker_request_type=x_tinker_request_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FutureRetrieveRequest,
    x_tinker_request_iteration: int | Unset = UNSET,
    x_tinker_request_type: str | Unset = UNSET,
) -> Response[
    ErrorResponse
    | FutureCompletedResult
    | FutureMetadataOnlyResponse
    | RequestFailedResponse
    | TryAgainResponse
    | HTTPValidationError
]:
    """Long-polls one future. How a client classifies an HTTP 200 body, in this order:
    1. `Content-Type` contains `application/x-protobuf`: a protobuf `ForwardBackwardOutput` or
       `SampleResponse` (SDK >= 0.25 asks for it with `Accept: application/x-protobuf`).
    2. JSON with `"type": "try_again"`: `TryAgainResponse`, poll again at once.
    3. JSON with `"status": "complete_metadata"`: `FutureMetadataOnlyResponse`, poll again with
       `allow_metadata_only: false`.
    4. JSON containing the key `"error"`: `RequestFailedResponse` (not retried).
    5. Any other JSON object: the completed result, typed by the operation that created the future
       (`CreateModelResponse`, `ForwardBackwardOutput`, `OptimStepResponse`, `SaveWeightsResponse`,
       `SaveWeightsForSamplerResponseInternal`, `SaveWeightsExternalResponseInternal`,
    `LoadWeightsResponse`,
       `UnloadModelResponse`, `CreateCustomLossResponse`, `SampleResponse`). Result bodies usually carry
       no `type` tag, so they cannot be told apart from the body alone.
    Transport-level: 408 = poll again (skyrl-tx after 300 s), 410 = promise expired, skyrl-tx reports a
    failed request as 400/500 `{"detail": ...}`.

    Args:
        x_tinker_request_iteration (int | Unset):
        x_tinker_request_type (str | Unset):
        body (FutureRetrieveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FutureCompletedResult | FutureMetadataOnlyResponse | RequestFailedResponse | TryAgainResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
        x_tinker_request_iteration=x_tinker_request_iteration,
        x_tinker_request_type=x_tinker_request_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FutureRetrieveRequest,
    x_tinker_request_iteration: int | Unset = UNSET,
    x_tinker_request_type: str | Unset = UNSET,
) -> (
    ErrorResponse
    | FutureCompletedResult
    | FutureMetadataOnlyResponse
    | RequestFailedResponse
    | TryAgainResponse
    | HTTPValidationError
    | None
):
    """Long-polls one future. How a client classifies an HTTP 200 body, in this order:
    1. `Content-Type` contains `application/x-protobuf`: a protobuf `ForwardBackwardOutput` or
       `SampleResponse` (SDK >= 0.25 asks for it with `Accept: application/x-protobuf`).
    2. JSON with `"type": "try_again"`: `TryAgainResponse`, poll again at once.
    3. JSON with `"status": "complete_metadata"`: `FutureMetadataOnlyResponse`, poll again with
       `allow_metadata_only: false`.
    4. JSON containing the key `"error"`: `RequestFailedResponse` (not retried).
    5. Any other JSON object: the completed result, typed by the operation that created the future
       (`CreateModelResponse`, `ForwardBackwardOutput`, `OptimStepResponse`, `SaveWeightsResponse`,
       `SaveWeightsForSamplerResponseInternal`, `SaveWeightsExternalResponseInternal`,
    `LoadWeightsResponse`,
       `UnloadModelResponse`, `CreateCustomLossResponse`, `SampleResponse`). Result bodies usually carry
       no `type` tag, so they cannot be told apart from the body alone.
    Transport-level: 408 = poll again (skyrl-tx after 300 s), 410 = promise expired, skyrl-tx reports a
    failed request as 400/500 `{"detail": ...}`.

    Args:
        x_tinker_request_iteration (int | Unset):
        x_tinker_request_type (str | Unset):
        body (FutureRetrieveRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FutureCompletedResult | FutureMetadataOnlyResponse | RequestFailedResponse | TryAgainResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_tinker_request_iteration=x_tinker_request_iteration,
            x_tinker_request_type=x_tinker_request_type,
        )
    ).parsed
