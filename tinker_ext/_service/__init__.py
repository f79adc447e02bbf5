"""ServiceClient, the entry point, and what only it uses."""
