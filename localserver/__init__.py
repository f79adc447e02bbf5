"""Build and run a real skyrl-tx Tinker server on loopback with a tiny local model (see README.md)."""

from localserver.server import LOCAL_API_KEY, LocalServer, ServerStartError
from localserver.setup_server import BASE_MODEL, ensure_server_env

__all__ = ["BASE_MODEL", "LOCAL_API_KEY", "LocalServer", "ServerStartError", "ensure_server_env"]
