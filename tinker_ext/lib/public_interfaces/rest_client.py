"""`tinker.lib.public_interfaces.rest_client` path."""

from tinker_ext._rest.client import RestClient

__all__ = ["RestClient"]
