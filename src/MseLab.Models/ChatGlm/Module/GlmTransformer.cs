using MseLab.Models.Backbones;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>ChatGLM's <c>GLMTransformer</c> (the encoder): the blocks, then final_layernorm when post_layer_norm is set.</summary>
public sealed class GlmTransformer : nn.Module
{
    [ComponentName(Name = "layers")] private readonly ModuleList<GlmBlock> _layers;
    [ComponentName(Name = "final_layernorm")] private readonly nn.Module<Tensor, Tensor>? _finalLayernorm;

    public GlmTransformer(ChatGlmConfig config, ScalarType dtype, Device device) : base(nameof(GlmTransformer))
    {
        _layers = new ModuleList<GlmBlock>();
        for (var i = 0; i < config.NumLayers; i++)
        {
            _layers.Add(new GlmBlock(config, layerNumber: i + 1, dtype, device));   // layer numbers are 1-based
        }

        if (config.PostLayerNorm)
        {
            _finalLayernorm = Norm(config, dtype, device);
        }

        RegisterComponents();
    }

    public int LayerCount => _layers.Count;

    /// <summary>RMSNorm when config.rmsnorm, else LayerNorm with bias, both with layernorm_epsilon.</summary>
    public static nn.Module<Tensor, Tensor> Norm(ChatGlmConfig config, ScalarType dtype, Device device) => config.RmsNorm
        ? new ChatGlmRMSNorm(config.HiddenSize, config.LayernormEpsilon, dtype, device)
        : nn.LayerNorm(config.HiddenSize, config.LayernormEpsilon, elementwise_affine: true, bias: true, device: device, dtype: dtype);

    /// <summary>Runs the blocks on (B, T, H) with the rotary tables of these positions.</summary>
    public Tensor Forward(Tensor hiddenStates, Tensor cos, Tensor sin, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var x = hiddenStates;
        for (var i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].forward(new GlmAttentionInput(x, cos, sin, cache, i));
        }

        return (_finalLayernorm is null ? x : _finalLayernorm.forward(x)).MoveToOuterDisposeScope();
    }
}
