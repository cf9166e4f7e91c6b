using MseLab.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>
/// ChatGLM's RMSNorm (modeling_chatglm.py <c>RMSNorm</c>): <c>(w * x * rsqrt(mean(x^2) + eps)).to(input dtype)</c>, all
/// in float32. Unlike LLaMA's, the weight multiplies the float32 value before the cast back.
/// </summary>
public sealed class ChatGlmRMSNorm : nn.Module<Tensor, Tensor>
{
    // Held for the module's lifetime: a temporary Scalar may be finalized while libtorch reads it.
    private readonly Scalar _eps;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    public ChatGlmRMSNorm(long hiddenSize, double eps, ScalarType dtype, Device device) : base(nameof(ChatGlmRMSNorm))
    {
        _eps = eps.ToScalar();
        _weight = new Parameter(ones(hiddenSize, dtype: dtype, device: device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var inputType = hiddenStates.dtype;
        var x = hiddenStates.to(ScalarType.Float32);
        var variance = x.Squared().mean([-1], keepdim: true);
        var normalized = x * rsqrt(variance.PlusInPlace(_eps));
        return (_weight.to(ScalarType.Float32) * normalized).to(inputType).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _eps.Dispose();
        }

        base.Dispose(disposing);
    }
}
