"""P-tuning checkpoints that resume: the prompt encoder's own weights saved beside PEFT's adapter.

PEFT saves a p-tuning adapter as its output only: the virtual token embeddings the encoder
(an embedding and an MLP) produces. That is all inference needs, but loading it back into a
model that trains (a resume, or the trainer restoring the best checkpoint for a budget or early
stopping) puts those outputs into the encoder's input embedding and runs the MLP over them
again: a different model, with the MLP's trained weights lost. So every save also writes the
encoder's full state to ENCODER_FILE, and loading a folder that has one into a training adapter
restores it exactly. Inference ignores the file (PeftModel.from_pretrained reads the adapter as
PEFT saved it).
"""

from pathlib import Path

from safetensors.torch import load_file, save_file
from torch import nn

ENCODER_FILE = "ptuning_encoder.safetensors"


def keep_prompt_encoder_state(model: nn.Module) -> None:
    """Wrap `model.save_pretrained` and `model.load_adapter` (a p-tuning PeftModel) as described above."""
    save_pretrained, load_adapter = model.save_pretrained, model.load_adapter

    def save_with_encoder(save_directory, *args, **kwargs):
        result = save_pretrained(save_directory, *args, **kwargs)
        if kwargs.get("is_main_process", True):
            for name, encoder in model.prompt_encoder.items():
                folder = Path(save_directory) if name == "default" else Path(save_directory) / name
                save_file({k: v.detach().contiguous().cpu() for k, v in encoder.state_dict().items()}, folder / ENCODER_FILE)
        return result

    def load_with_encoder(model_id, adapter_name="default", *args, **kwargs):
        result = load_adapter(model_id, adapter_name, *args, **kwargs)
        state = Path(model_id) / ENCODER_FILE
        if state.is_file() and not model.peft_config[adapter_name].inference_mode:
            encoder = model.prompt_encoder[adapter_name]
            encoder.load_state_dict(load_file(state, device=str(encoder.embedding.weight.device)), strict=True)
        return result

    model.save_pretrained = save_with_encoder
    model.load_adapter = load_with_encoder
