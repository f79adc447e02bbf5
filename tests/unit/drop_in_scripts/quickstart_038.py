"""The official docs' quickstart (training and sampling), as written for `import tinker` 0.38: the tokenizer
from the training client, the Pig Latin examples turned into Datums with `tokenizer.encode` lists, six
steps of forward_backward + optim_step, then greedy samples decoded with `tokenizer.decode`. Only the base
model comes from the environment (TINKER_BASE_MODEL; TINKER_BASE_URL / TINKER_API_KEY as the SDK reads
them). tests/integration/test_e2e_quickstart.py runs it through `tinker-ext-run`. Prints one JSON line."""

import json
import os

import numpy as np
import tinker
from tinker import types

service_client = tinker.ServiceClient()
base_model = os.environ["TINKER_BASE_MODEL"]
training_client = service_client.create_lora_training_client(base_model=base_model)

examples = [
    {"input": "banana split", "output": "anana-bay plit-say"},
    {"input": "quantum physics", "output": "uantum-qay ysics-phay"},
    {"input": "donut shop", "output": "onut-day op-shay"},
    {"input": "pickle jar", "output": "ickle-pay ar-jay"},
    {"input": "space exploration", "output": "ace-spay exploration-way"},
    {"input": "rubber duck", "output": "ubber-ray uck-day"},
    {"input": "coding wizard", "output": "oding-cay izard-way"},
]

tokenizer = training_client.get_tokenizer()


def process_example(example: dict, tokenizer) -> types.Datum:
    prompt = f"English: {example['input']}\nPig Latin:"
    prompt_tokens = tokenizer.encode(prompt, add_special_tokens=True)
    prompt_weights = [0] * len(prompt_tokens)
    completion_tokens = tokenizer.encode(f" {example['output']}\n\n", add_special_tokens=False)
    completion_weights = [1] * len(completion_tokens)

    tokens = prompt_tokens + completion_tokens
    weights = prompt_weights + completion_weights

    input_tokens = tokens[:-1]
    target_tokens = tokens[1:]
    weights = weights[1:]

    return types.Datum(
        model_input=types.ModelInput.from_ints(tokens=input_tokens),
        loss_fn_inputs=dict(weights=weights, target_tokens=target_tokens),
    )


processed_examples = [process_example(ex, tokenizer) for ex in examples]

losses = []
for _ in range(6):
    fwdbwd_future = training_client.forward_backward(processed_examples, "cross_entropy")
    optim_future = training_client.optim_step(types.AdamParams(learning_rate=1e-4))
    fwdbwd_result = fwdbwd_future.result()
    optim_result = optim_future.result()
    logprobs = np.concatenate([output["logprobs"].tolist() for output in fwdbwd_result.loss_fn_outputs])
    weights = np.concatenate([example.loss_fn_inputs["weights"].tolist() for example in processed_examples])
    losses.append(float(-np.dot(logprobs, weights) / weights.sum()))
    print(f"Loss per token: {losses[-1]:.4f}")

sampling_client = training_client.save_weights_and_get_sampling_client(name="pig-latin-model")
prompt = types.ModelInput.from_ints(tokenizer.encode("English: coffee break\nPig Latin:"))
params = types.SamplingParams(max_tokens=20, temperature=0.0, stop=["\n"])
future = sampling_client.sample(prompt=prompt, sampling_params=params, num_samples=8)
result = future.result()
print("Responses:")
completions = []
for i, seq in enumerate(result.sequences):
    completions.append(tokenizer.decode(seq.tokens))
    print(f"{i}: {completions[-1]!r}")

chat = tokenizer.apply_chat_template(
    [{"role": "user", "content": "coffee break"}], add_generation_prompt=True, tokenize=False
)
print(
    json.dumps(
        {
            "module": type(training_client).__module__,
            "tokenizer": f"{type(tokenizer).__module__}.{type(tokenizer).__name__}",
            "losses": losses,
            "completions": completions,
            "tokens": [list(seq.tokens) for seq in result.sequences],
            "chat": chat,
        }
    )
)
