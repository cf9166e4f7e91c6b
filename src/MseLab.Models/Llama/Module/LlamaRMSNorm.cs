using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MseLab.Models.Llama.Module;

/// <summary>HF LlamaRMSNorm: normalise in float32, scale by weight, return the input dtype.</summary>
public sealed class LlamaRMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    public LlamaRMSNorm(long hiddenSize, double eps, ScalarType dtype, Device device) : base(nameof(LlamaRMSNorm))
    {
        _eps = eps;
        _weight = new Parameter(ones(hiddenSize, dtype: dtype, device: device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var inputType = hiddenStates.dtype;
        var x = hiddenStates.to(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        x = x * rsqrt(variance + _eps);
        return (_weight * x.to(inputType)).MoveToOuterDisposeScope();
    }
}
