using MseLab.Models.Llama.Module;
using MseLab.Models.Runtime;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Qwen.Module;

/// <summary>Qwen-1 pre-norm block (modeling_qwen.py QWenBlock): h = x + attn(ln_1(x)); h + mlp(ln_2(h)).</summary>
public sealed class QwenBlock : nn.Module<QwenAttentionInput, Tensor>
{
    // Qwen's RMSNorm is LLaMA's: x * rsqrt(mean(x^2) + eps) in float32, cast back, times weight.
    [ComponentName(Name = "ln_1")] private readonly LlamaRMSNorm _ln1;
    [ComponentName(Name = "attn")] private readonly QwenAttention _attn;
    [ComponentName(Name = "ln_2")] private readonly LlamaRMSNorm _ln2;
    [ComponentName(Name = "mlp")] private readonly QwenMLP _mlp;

    public QwenBlock(QwenConfig config, ScalarType dtype, Device device) : base(nameof(QwenBlock))
    {
        _ln1 = new LlamaRMSNorm(config.HiddenSize, config.LayerNormEpsilon, dtype, device);
        _attn = new QwenAttention(config, dtype, device);
        _ln2 = new LlamaRMSNorm(config.HiddenSize, config.LayerNormEpsilon, dtype, device);
        _mlp = new QwenMLP(config, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(QwenAttentionInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.HiddenStates;
        var h = x.Plus(_attn.forward(input with { HiddenStates = _ln1.forward(x) }));
        return h.Plus(_mlp.forward(_ln2.forward(h))).MoveToOuterDisposeScope();
    }
}
