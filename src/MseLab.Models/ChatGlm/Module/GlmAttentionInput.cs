using MseLab.Models.Backbones;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>Inputs of one GLM block: hidden states (B, T, H), rotary tables (T, d/4) for these positions, optional cache.</summary>
public sealed record GlmAttentionInput(Tensor HiddenStates, Tensor Cos, Tensor Sin, KvCache? Cache, int LayerIndex);
