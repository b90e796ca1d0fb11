"""`get_peft_model(transformer, config)` returns a module (the function is named like a model,
but it is handed the model): `pipeline.transformer.to("cpu")` moves it in place."""
import torch
from peft import LoraConfig, get_peft_model


def prepare(pipeline, device):
    transformer = pipeline.transformer.to(device)
    transformer = get_peft_model(transformer, LoraConfig(r=8))
    pipeline.transformer = transformer
    pipeline.transformer.to("cpu")
    torch.cuda.empty_cache()
    return pipeline
