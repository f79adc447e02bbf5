"""get_tokenizer: local files, the hub fallback, the transformers-like adapter, chat templates."""
