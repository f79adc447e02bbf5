"""What the clients of one ServiceClient share: context, futures and their loop, throttles."""
