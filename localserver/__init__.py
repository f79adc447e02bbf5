"""Build and run real Tinker servers on loopback with a tiny local model (see README.md): skyrl-tx
0.3.0 (legacy JSON wire) and skyrl 0.4.0 (protobuf wire), one venv per kind."""

from localserver.server import LOCAL_API_KEY, LocalServer, ServerStartError
from localserver.setup_server import BASE_MODEL, DEFAULT_KIND, KINDS, ensure_server_env

__all__ = [
    "BASE_MODEL",
    "DEFAULT_KIND",
    "KINDS",
    "LOCAL_API_KEY",
    "LocalServer",
    "ServerStartError",
    "ensure_server_env",
]
