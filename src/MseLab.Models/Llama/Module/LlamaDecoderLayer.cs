using MseLab.Models.Runtime;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Llama.Module;

/// <summary>Pre-norm decoder block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer : nn.Module<AttentionInput, Tensor>
{
    [ComponentName(Name = "self_attn")] private readonly LlamaAttention _selfAttn;
    [ComponentName(Name = "mlp")] private readonly LlamaMLP _mlp;
    [ComponentName(Name = "input_layernorm")] private readonly LlamaRMSNorm _inputLayernorm;
    [ComponentName(Name = "post_attention_layernorm")] private readonly LlamaRMSNorm _postAttentionLayernorm;

    public LlamaDecoderLayer(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaDecoderLayer))
    {
        _selfAttn = new LlamaAttention(config, dtype, device);
        _mlp = new LlamaMLP(config, dtype, device);
        _inputLayernorm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _postAttentionLayernorm = new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(AttentionInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        var h = x.Plus(_selfAttn.forward(input with { HiddenStates = _inputLayernorm.forward(x) }));
        var output = h.Plus(_mlp.forward(_postAttentionLayernorm.forward(h)));
        return output.MoveToOuterDisposeScope();
    }
}
