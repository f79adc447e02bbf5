"""TrainingClient: forward/backward chunks, request order, custom losses, saves."""
