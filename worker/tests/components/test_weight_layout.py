import torch
from transformers import AutoModelForCausalLM

from whet_worker.components.weight_layout import use_column_major_linear_weights


def test_same_logits_column_major_weights_and_a_tied_head_stays_tied(tiny_model):
    reference = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32).eval()
    model = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32).eval()
    tied = model.lm_head.weight is model.get_input_embeddings().weight
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    changed = use_column_major_linear_weights(model)
    assert changed == len({id(m.weight) for m in linears}) > 0
    for module in linears:
        out_features, in_features = module.weight.shape
        assert module.weight.stride() == (1, out_features), "W^T must be contiguous"
        assert (out_features, in_features) == (module.out_features, module.in_features)
    assert (model.lm_head.weight is model.get_input_embeddings().weight) == tied
    ids = torch.randint(0, model.config.vocab_size, (3, 11))
    with torch.no_grad():
        assert torch.allclose(model(input_ids=ids).logits, reference(input_ids=ids).logits, atol=1e-5)
    assert use_column_major_linear_weights(model) == changed  # idempotent: still the same tensors, same layout
    assert all(m.weight.stride() == (1, m.weight.shape[0]) for m in linears)
