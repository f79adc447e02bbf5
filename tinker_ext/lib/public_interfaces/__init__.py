"""`tinker.lib.public_interfaces` path: the client classes and futures.

0.38's `Backcompat*ClientFuture` are futures of a client that also proxy the client; tinker-ext's
creation methods return the client itself, which is also a finished future of itself, so the names alias
the client classes (`isinstance(service.create_lora_training_client(...), BackcompatTrainingClientFuture)`
holds). `AwaitableConcurrentFuture` is 0.38's concrete APIFuture.
"""

from tinker_ext._futures import APIFuture
from tinker_ext._loss_handle import LossHandle, PerDatumLossFn
from tinker_ext._rest_client import AdminClient, RestClient
from tinker_ext._sampling_client import SamplingClient
from tinker_ext._service_client import ServiceClient
from tinker_ext._training_client import TrainingClient

AwaitableConcurrentFuture = APIFuture
BackcompatTrainingClientFuture = TrainingClient
BackcompatSamplingClientFuture = SamplingClient

__all__ = [
    "APIFuture",
    "AdminClient",
    "AwaitableConcurrentFuture",
    "BackcompatSamplingClientFuture",
    "BackcompatTrainingClientFuture",
    "LossHandle",
    "PerDatumLossFn",
    "RestClient",
    "SamplingClient",
    "ServiceClient",
    "TrainingClient",
]
