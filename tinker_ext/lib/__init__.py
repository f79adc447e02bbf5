"""Module paths of the official SDK's `tinker.lib` that user code imports (`tinker.lib.public_interfaces`,
`tinker.lib.retry_handler`), mapped onto tinker-ext's own classes."""
