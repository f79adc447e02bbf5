"""Build the tiny, randomly initialised Qwen3 model the local server trains and samples.

Runs inside the server's virtualenv (it needs numpy, safetensors and tokenizers), called by
setup_server.py. The output is a Hugging Face style model directory:

    config.json               Qwen3ForCausalLM config (skyrl-tx picks its model class from `architectures`)
    model.safetensors         float32 weights in the HF Qwen3 key layout
    tokenizer.json            byte-level BPE trained on corpus.txt with the `tokenizers` library
    tokenizer_config.json     lets transformers.AutoTokenizer load tokenizer.json as a fast tokenizer; carries
                              a ChatML chat template (<|im_start|>role ... <|im_end|>) as Qwen3's does

Everything is deterministic (fixed seed, fixed corpus), so two builds give identical bytes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

SEED = 1234
VOCAB_SIZE_TARGET = 1024
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# Small enough that one training step on CPU takes well under a second once compiled.
HIDDEN_SIZE = 64
INTERMEDIATE_SIZE = 128
NUM_LAYERS = 2
NUM_HEADS = 4
NUM_KV_HEADS = 2
HEAD_DIM = 16
MAX_POSITIONS = 2048


# Qwen's ChatML layout (without its tool and thinking parts): what apply_chat_template renders.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def train_tokenizer(corpus_path: Path) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE_TARGET,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    lines = corpus_path.read_text(encoding="utf-8").splitlines(keepends=True)
    tokenizer.train_from_iterator(lines, trainer=trainer)
    return tokenizer


def tokenizer_config() -> dict[str, object]:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "eos_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>",
        "bos_token": None,
        "model_max_length": MAX_POSITIONS,
        "clean_up_tokenization_spaces": False,
        "chat_template": CHAT_TEMPLATE,
    }


def model_config(vocab_size: int, eos_token_id: int) -> dict[str, object]:
    return {
        "architectures": ["Qwen3ForCausalLM"],
        "model_type": "qwen3",
        "vocab_size": vocab_size,
        "hidden_size": HIDDEN_SIZE,
        "intermediate_size": INTERMEDIATE_SIZE,
        "num_hidden_layers": NUM_LAYERS,
        "num_attention_heads": NUM_HEADS,
        "num_key_value_heads": NUM_KV_HEADS,
        "head_dim": HEAD_DIM,
        "hidden_act": "silu",
        "max_position_embeddings": MAX_POSITIONS,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "rope_scaling": None,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "bos_token_id": eos_token_id,
        "eos_token_id": eos_token_id,
        "use_cache": True,
    }


def random_weights(vocab_size: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)

    def normal(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    def ones(size: int) -> np.ndarray:
        return np.ones(size, dtype=np.float32)

    weights = {
        "model.embed_tokens.weight": normal(vocab_size, HIDDEN_SIZE),
        "model.norm.weight": ones(HIDDEN_SIZE),
    }
    for i in range(NUM_LAYERS):
        p = f"model.layers.{i}."
        # HF Linear layout: [out_features, in_features].
        weights |= {
            p + "input_layernorm.weight": ones(HIDDEN_SIZE),
            p + "post_attention_layernorm.weight": ones(HIDDEN_SIZE),
            p + "self_attn.q_proj.weight": normal(NUM_HEADS * HEAD_DIM, HIDDEN_SIZE),
            p + "self_attn.k_proj.weight": normal(NUM_KV_HEADS * HEAD_DIM, HIDDEN_SIZE),
            p + "self_attn.v_proj.weight": normal(NUM_KV_HEADS * HEAD_DIM, HIDDEN_SIZE),
            p + "self_attn.o_proj.weight": normal(HIDDEN_SIZE, NUM_HEADS * HEAD_DIM),
            p + "self_attn.q_norm.weight": ones(HEAD_DIM),
            p + "self_attn.k_norm.weight": ones(HEAD_DIM),
            p + "mlp.gate_proj.weight": normal(INTERMEDIATE_SIZE, HIDDEN_SIZE),
            p + "mlp.up_proj.weight": normal(INTERMEDIATE_SIZE, HIDDEN_SIZE),
            p + "mlp.down_proj.weight": normal(HIDDEN_SIZE, INTERMEDIATE_SIZE),
        }
    return weights


def build(corpus_path: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = train_tokenizer(corpus_path)
    vocab_size = tokenizer.get_vocab_size()
    eos_id = tokenizer.token_to_id("<|endoftext|>")
    tokenizer.save(str(out_dir / "tokenizer.json"))
    (out_dir / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(), indent=2) + "\n")
    (out_dir / "config.json").write_text(json.dumps(model_config(vocab_size, eos_id), indent=2) + "\n")
    save_file(random_weights(vocab_size), str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    print(f"tiny model: vocab={vocab_size} hidden={HIDDEN_SIZE} layers={NUM_LAYERS} -> {out_dir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    build(args.corpus, args.out)


if __name__ == "__main__":
    main()
