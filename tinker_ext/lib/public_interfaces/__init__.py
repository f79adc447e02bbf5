"""`tinker.lib.public_interfaces` path: the client classes and futures.

0.38's `Backcompat*ClientFuture` are futures of a client that also proxy the client; tinker-ext's
creation methods return the client itself, which is also a finished future of itself, so the names alias
the client classes (`isinstance(service.create_lora_training_client(...), BackcompatTrainingClientFuture)`
holds). `AwaitableConcurrentFuture` is 0.38's concrete APIFuture.
"""

from tinker_ext._rest.admin_client import AdminClient
from tinker_ext._rest.client import RestClient
from tinker_ext._sampling.client import SamplingClient
from tinker_ext._service.client import ServiceClient
from tinker_ext._session.futures import APIFuture
from tinker_ext._training.client import TrainingClient
from tinker_ext._training.loss_handle import LossHandle, PerDatumLossFn

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
