"""The ground floor: the exception tree, sentinels, warnings, secret-free refusals, console links."""
