"""One request over HTTP: encoding, transport, retries, limits, origin, decoding, answer checks."""
