"""The generation server's parts: request parsing, sampling, text streaming, the batch KV cache,
adapters, the engine thread and the HTTP front. recipes/serve.py puts them together."""
