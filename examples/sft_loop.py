"""The main job: LoRA supervised fine-tuning with tinker-ext against a real Tinker server.

Without TINKER_BASE_URL it starts a local skyrl-tx server (built by `nox -s server`) with a tiny model;
with TINKER_BASE_URL, TINKER_API_KEY and TINKER_BASE_MODEL it runs unchanged against a remote service.

It trains on a small bundled dataset with a progress bar showing the loss, checks that the loss went
down, saves sampler weights and samples from them, then saves the training state, reloads it into a new
client and checks that the reloaded model computes the same logprobs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for localserver/ when run from a checkout

import tinker_ext as tinker

DATASET = Path(__file__).parent / "data" / "sft_pairs.jsonl"
# Wide enough for the before/after table when the output is not a terminal (CI logs, pipes).
console = Console(width=None if Console().is_terminal else 120)


@contextlib.contextmanager
def tinker_endpoint(kind: str) -> Iterator[tuple[str, str, str]]:
    """(base_url, api_key, base_model): the remote service if configured, else a local server of `kind`."""
    base_url = os.environ.get("TINKER_BASE_URL")
    if base_url:
        base_model = os.environ.get("TINKER_BASE_MODEL", "Qwen/Qwen3-8B")
        yield base_url, os.environ.get("TINKER_API_KEY", ""), base_model
        return
    from localserver.server import LocalServer

    with (
        console.status(f"starting the local Tinker server ({kind}, tiny model)..."),
        LocalServer(kind=kind) as server,
    ):
        console.print(f"local {kind} server at {server.base_url}, base model {server.base_model}")
        # The tiny model exists only on this machine: point the tokenizer lookup at its tokenizer.json.
        os.environ.setdefault(
            "TINKER_TOKENIZER_DIR", json.dumps({server.base_model: str(server.tokenizer_file)})
        )
        yield server.base_url, server.api_key, server.base_model


def build_datum(tokenizer: Any, prompt: str, completion: str) -> tinker.Datum:
    """Next-token prediction on prompt+completion+end-of-text, with loss only on the completion tokens."""
    prompt_tokens = tokenizer.encode(prompt)
    target = completion_tokens(tokenizer, completion)
    tokens = prompt_tokens + target
    weights = [0.0] * len(prompt_tokens) + [1.0] * len(target)
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(tokens[:-1]),
        loss_fn_inputs={"target_tokens": tokens[1:], "weights": weights[1:]},
    )


def mean_token_loss(output: tinker.ForwardBackwardOutput, data: list[tinker.Datum]) -> float:
    """Cross-entropy per completion token. Tinker reports the summed loss as metric `loss:sum`; servers
    that report no metrics (skyrl-tx) still return each datum's `logprobs`, and the loss is
    -sum(weights * logprobs)."""
    weights = [d.loss_fn_inputs["weights"].to_numpy() for d in data]
    total_weight = sum(float(np.sum(w)) for w in weights)
    if "loss:sum" in output.metrics:
        return output.metrics["loss:sum"] / total_weight
    summed = sum(
        -float(np.dot(w, out["logprobs"].to_numpy()))
        for w, out in zip(weights, output.loss_fn_outputs, strict=True)
    )
    return summed / total_weight


def completion_tokens(tokenizer: Any, completion: str) -> list[int]:
    """The completion as trained and expected back: its tokens, then end-of-text (so sampling stops)."""
    return [*tokenizer.encode(completion), eos_id(tokenizer)]


def eos_id(tokenizer: Any) -> int:
    token = tokenizer.eos_token_id  # the transformers tokenizer API, as the official SDK returns
    if token is None:
        raise SystemExit("the tokenizer has no <|endoftext|> token")
    return int(token)


def greedy_completions(
    sampler: tinker.SamplingClient, tokenizer: Any, rows: list[dict[str, str]]
) -> list[str]:
    """Greedy (temperature 0) continuation of every prompt, cut at end-of-text; all sampled in parallel.
    One max_tokens for all: servers compile one program per sampling shape."""
    longest = max(len(completion_tokens(tokenizer, row["completion"])) for row in rows)
    params = tinker.SamplingParams(max_tokens=longest, temperature=0.0, seed=0)
    futures = []
    for row in rows:
        prompt = tinker.ModelInput.from_ints(tokenizer.encode(row["prompt"]))
        futures.append(sampler.sample(prompt=prompt, num_samples=1, sampling_params=params))
    texts = []
    for future in futures:
        tokens = future.result().sequences[0].tokens
        if eos_id(tokenizer) in tokens:
            tokens = tokens[: tokens.index(eos_id(tokenizer))]
        texts.append(tokenizer.decode(tokens))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=1e-2)
    parser.add_argument(
        "--server",
        choices=["skyrl", "skyrl-tx"],
        default="skyrl",
        help="local server when TINKER_BASE_URL is unset: skyrl 0.4.0 (protobuf wire, default) or "
        "skyrl-tx 0.3.0 (legacy JSON wire)",
    )
    args = parser.parse_args()

    rows = [json.loads(line) for line in DATASET.read_text().splitlines() if line.strip()]
    with (
        tinker_endpoint(args.server) as (base_url, api_key, base_model),
        tinker.ServiceClient(base_url=base_url, api_key=api_key or None) as service,
    ):
        training = service.create_lora_training_client(base_model=base_model, rank=args.rank, seed=0)
        tokenizer = training.get_tokenizer()
        data = [build_datum(tokenizer, row["prompt"], row["completion"]) for row in rows]
        before = greedy_completions(service.create_sampling_client(base_model=base_model), tokenizer, rows)

        losses: list[float] = []
        columns = (
            TextColumn("training"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("sft", total=args.steps, loss="-")
            adam = tinker.AdamParams(learning_rate=args.learning_rate)
            for _ in range(args.steps):
                # Submitted back to back: the SDK keeps them in order on the wire.
                fwd_bwd = training.forward_backward(data, loss_fn="cross_entropy")
                optim = training.optim_step(adam)
                losses.append(mean_token_loss(fwd_bwd.result(), data))
                optim.result()
                progress.update(task, advance=1, loss=f"{losses[-1]:.4f}")
        console.print(f"wire: {service.wire} (negotiated with the server)")

        first, last = losses[0], min(losses[-3:])
        console.print(f"loss per completion token: first step {first:.4f} -> last steps {last:.4f}")
        if not last < first:
            console.print("[red]the loss did not go down[/red]")
            return 1

        sampler_path = training.save_weights_for_sampler("sft-final").result().path
        console.print(f"sampler weights saved at {sampler_path}")
        after = greedy_completions(service.create_sampling_client(model_path=sampler_path), tokenizer, rows)
        table = Table(title="greedy samples before and after training")
        for column in ("prompt", "trained on", "before", "after", ""):
            table.add_column(column)
        for row, old, new in zip(rows, before, after, strict=True):
            table.add_row(
                row["prompt"],
                row["completion"],
                old,
                new,
                "[green]yes[/green]" if new == row["completion"] else "[red]no[/red]",
            )
        console.print(table)
        learned = sum(new == row["completion"] for row, new in zip(rows, after, strict=True))
        console.print(f"{learned}/{len(rows)} training completions reproduced exactly after training")
        if learned * 2 < len(rows):
            console.print(
                "[red]the trained model reproduces fewer than half of its training completions[/red]"
            )
            return 1

        state_path = training.save_state("sft-state").result().path
        restored = service.create_training_client_from_state_with_optimizer(state_path)
        before_reload = training.forward(data[:4], loss_fn="cross_entropy").result()
        after_reload = restored.forward(data[:4], loss_fn="cross_entropy").result()
        drift = max(
            float(np.max(np.abs(a["logprobs"].to_numpy() - b["logprobs"].to_numpy())))
            for a, b in zip(before_reload.loss_fn_outputs, after_reload.loss_fn_outputs, strict=True)
        )
        console.print(f"state saved at {state_path}; reloaded model logprobs differ by at most {drift:.2e}")
        if drift > 1e-4:
            console.print("[red]the reloaded state does not reproduce the trained model[/red]")
            return 1
    console.print("[green]done[/green]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
