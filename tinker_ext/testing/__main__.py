"""`python -m tinker_ext.testing [--port N] [--base-model NAME] [--api-key KEY]`: the test server as a
process. Prints one JSON line `{"base_url", "base_model", "api_key", "tokenizer_path"}` when it listens and
serves until its stdin closes (its parent exited or closed the pipe) or it is interrupted."""

from __future__ import annotations

import argparse
import json
import sys

from ._server import DEFAULT_API_KEY, DEFAULT_BASE_MODEL, TinkerTestServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tinker_ext.testing", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--base-model", default=DEFAULT_BASE_MODEL)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    args = parser.parse_args(argv)
    with TinkerTestServer(base_model=args.base_model, api_key=args.api_key, port=args.port) as server:
        ready = {
            "base_url": server.base_url,
            "base_model": server.base_model,
            "api_key": server.api_key,
            "tokenizer_path": server.tokenizer_path,
        }
        print(json.dumps(ready), flush=True)
        try:
            while sys.stdin.read(4096):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
