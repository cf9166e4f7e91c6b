"""Independent PyTorch (1.13) forward and backward of the MSE-Adapter, used by MseAdapterPyTorchReferenceTests.

Written from the specification (research/mse-adapter.md, sections 1.2-1.5), with the official module and attribute
names so that load_state_dict(strict=True) also checks the C# state-dict keys and shapes.

usage: adapter_reference.py PARAMS.safetensors INPUTS.safetensors OUT.safetensors
INPUTS holds text [B,L,D], audio [B,Ta,da], audio_lengths [B] (I64), video, video_lengths, probe [B,P,D].
OUT receives pseudo_tokens [B,P,D] and grad.<parameter name> for loss = sum(pseudo_tokens * probe).
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

NUMPY_TYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as handle:
        blob = handle.read()
    (header_size,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + header_size].decode("utf-8"))
    base = 8 + header_size
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(blob[base + start:base + end], dtype=NUMPY_TYPES[entry["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return tensors


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, value in tensors.items():
        data = value.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header).encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(raw)))
        handle.write(raw)
        for chunk in chunks:
            handle.write(chunk)


class Encoder(nn.Module):
    """LSTM over the true lengths (at least 1), final hidden state, Linear(H -> 256)."""

    def __init__(self, width, hidden):
        super().__init__()
        self.rnn = nn.LSTM(width, hidden, num_layers=1, batch_first=True)
        self.linear = nn.Linear(hidden, 256)

    def forward(self, frames, lengths):
        packed = pack_padded_sequence(frames, lengths.clamp(min=1).cpu(), batch_first=True, enforce_sorted=False)
        _, (last_hidden, _) = self.rnn(packed)
        return self.linear(last_hidden[-1])


class Mixer(nn.Module):
    """Average over every text position (no mask), Linear(D -> 256), a*g + v*g."""

    def __init__(self, width):
        super().__init__()
        self.text_mlp = nn.Linear(width, 256)

    def forward(self, audio, video, text):
        guide = self.text_mlp(nn.functional.adaptive_avg_pool1d(text.transpose(1, 2), 1)[:, :, 0])
        return audio * guide + video * guide


class Integrating(nn.Module):
    def __init__(self):
        super().__init__()
        self.Integrating_layer = nn.Sequential(nn.Conv2d(1, 1, kernel_size=(1, 3)))

    def forward(self, stacked):
        return self.Integrating_layer(stacked[:, None])[:, 0, :, 0]


def bottleneck(width):
    return nn.Sequential(nn.Linear(256, width), nn.GELU(), nn.Linear(width, 256))


class Fusion(nn.Module):
    def __init__(self, width, tokens):
        super().__init__()
        self.scale1 = bottleneck(width // 8)
        self.scale2 = bottleneck(width // 32)
        self.scale3 = bottleneck(width // 16)
        self.integrating = Integrating()
        self.multi_scale_projector = nn.Linear(256, width)
        self.projector = nn.Linear(1, tokens)

    def forward(self, fused):
        stacked = torch.stack([self.scale1(fused), self.scale2(fused), self.scale3(fused)], dim=2)
        vector = self.multi_scale_projector(self.integrating(stacked))
        return self.projector(vector[:, :, None]).permute(0, 2, 1)


class Adapter(nn.Module):
    def __init__(self, params):
        super().__init__()
        self.audio_LSTM = Encoder(*params["audio_LSTM.rnn.weight_ih_l0"].shape[1:], params["audio_LSTM.rnn.weight_hh_l0"].shape[1])
        self.video_LSTM = Encoder(*params["video_LSTM.rnn.weight_ih_l0"].shape[1:], params["video_LSTM.rnn.weight_hh_l0"].shape[1])
        self.text_guide_mixer = Mixer(params["text_guide_mixer.text_mlp.weight"].shape[1])
        self.mutli_scale_fusion = Fusion(params["mutli_scale_fusion.multi_scale_projector.weight"].shape[0],
                                         params["mutli_scale_fusion.projector.weight"].shape[0])

    def forward(self, text, audio, audio_lengths, video, video_lengths):
        fused = self.text_guide_mixer(self.audio_LSTM(audio, audio_lengths), self.video_LSTM(video, video_lengths), text)
        return self.mutli_scale_fusion(fused)


def main(params_path, inputs_path, out_path):
    torch.set_num_threads(1)
    params = read_safetensors(params_path)
    inputs = read_safetensors(inputs_path)
    model = Adapter(params)
    model.load_state_dict(params, strict=True)
    tokens = model(inputs["text"], inputs["audio"], inputs["audio_lengths"], inputs["video"], inputs["video_lengths"])
    (tokens * inputs["probe"]).sum().backward()
    result = {"pseudo_tokens": tokens}
    result.update({"grad." + name: p.grad for name, p in model.named_parameters()})
    write_safetensors(out_path, result)


if __name__ == "__main__":
    main(*sys.argv[1:4])
