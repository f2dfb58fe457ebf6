"""Write a Hugging Face llama or qwen2 causal LM as one GGUF file llama.cpp loads.

The `gguf` package has the writer, tensor-name maps and numpy quantizers but no converter;
this is the conversion for the architectures we support, after llama.cpp's convert_hf_to_gguf.py:
- llama: q/k projection rows are permuted from Hugging Face's rotate-half layout to the
  interleaved one llama.cpp's rope expects; qwen2 keeps them (NEOX rope) and has q/k/v biases.
- a tied head is not written: llama.cpp reuses token_embd as the output matrix.
- 1-D tensors (norms, biases) stay f32; 2-D ones take the chosen type when their rows split
  into 32-value blocks, else f16. With a 4-bit type the embedding/output matrix takes Q8_0,
  as llama.cpp's quantizer keeps its output layer at higher precision.
"""

from pathlib import Path

import gguf
import numpy as np
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from ..errors import WorkerError
from .gguf_tokenizer import add_tokenizer

ARCHITECTURES = {"llama": gguf.MODEL_ARCH.LLAMA, "qwen2": gguf.MODEL_ARCH.QWEN2}
Q = gguf.GGMLQuantizationType
QUANTIZATIONS = {
    "f16": (Q.F16, gguf.LlamaFileType.MOSTLY_F16),
    "q8_0": (Q.Q8_0, gguf.LlamaFileType.MOSTLY_Q8_0),
    "q4_0": (Q.Q4_0, gguf.LlamaFileType.MOSTLY_Q4_0),
    "q4_1": (Q.Q4_1, gguf.LlamaFileType.MOSTLY_Q4_1),
}


def write_gguf(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, out_path: Path, quantization: str, name: str) -> None:
    """Raise EXPORT_UNSUPPORTED for other architectures, rope scalings or tokenizers."""
    config = model.config
    if config.model_type not in ARCHITECTURES:
        raise WorkerError("EXPORT_UNSUPPORTED", f"GGUF export supports {', '.join(ARCHITECTURES)}; this model is {config.model_type!r}")
    arch = ARCHITECTURES[config.model_type]
    qtype, file_type = QUANTIZATIONS[quantization]
    writer = gguf.GGUFWriter(out_path, gguf.MODEL_ARCH_NAMES[arch])
    try:
        _add_hyperparameters(writer, config, name, file_type)
        add_tokenizer(writer, tokenizer, config.vocab_size)
        for gguf_name, tensor in _gguf_tensors(model, arch):
            data, dtype = _encode(gguf_name, tensor, qtype)
            writer.add_tensor(gguf_name, data, raw_dtype=dtype)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()


def _add_hyperparameters(writer: gguf.GGUFWriter, config, name: str, file_type) -> None:
    n_head = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // n_head
    rope = getattr(config, "rope_parameters", None) or {"rope_type": "default", "rope_theta": getattr(config, "rope_theta", 10000.0)}
    if rope.get("rope_type", "default") not in ("default", "linear"):
        raise WorkerError("EXPORT_UNSUPPORTED", f"GGUF export supports default and linear rope; this model uses {rope['rope_type']!r}")
    writer.add_name(name)
    writer.add_file_type(file_type)
    writer.add_vocab_size(config.vocab_size)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(float(rope["rope_theta"]))
    if rope.get("rope_type") == "linear":
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(float(rope["factor"]))
    writer.add_layer_norm_rms_eps(float(config.rms_norm_eps))


def _gguf_tensors(model: PreTrainedModel, arch):
    config = model.config
    names = gguf.get_tensor_name_map(arch, config.num_hidden_layers)
    tied = bool(getattr(config, "tie_word_embeddings", False))
    for hf_name, tensor in model.state_dict().items():
        if tied and hf_name == "lm_head.weight":
            continue
        gguf_name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise WorkerError("EXPORT_UNSUPPORTED", f"No GGUF name for tensor {hf_name} of this {config.model_type} model")
        data = tensor.detach().to(torch.float32).cpu().numpy()
        if arch == gguf.MODEL_ARCH.LLAMA and hf_name.endswith("q_proj.weight"):
            data = _permute(data, config.num_attention_heads)
        elif arch == gguf.MODEL_ARCH.LLAMA and hf_name.endswith("k_proj.weight"):
            data = _permute(data, config.num_key_value_heads)
        yield gguf_name, data


def _permute(weights: np.ndarray, n_head: int) -> np.ndarray:
    """Rows per head from [first halves..., second halves...] to interleaved pairs (llama.cpp's rope)."""
    return weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)


def _encode(name: str, data: np.ndarray, qtype) -> tuple[np.ndarray, object]:
    if data.ndim == 1:
        return data.astype(np.float32), Q.F32
    if qtype in (Q.Q4_0, Q.Q4_1) and name in ("token_embd.weight", "output.weight"):
        qtype = Q.Q8_0
    if qtype != Q.F16 and data.shape[-1] % 32 == 0:
        return gguf.quants.quantize(data, qtype), qtype
    return data.astype(np.float16), Q.F16
