using MseLab.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Llama.Module;

/// <summary>HF LlamaRMSNorm: normalise in float32, scale by weight, return the input dtype.</summary>
public sealed class LlamaRMSNorm : nn.Module<Tensor, Tensor>
{
    // Held for the module's lifetime: an implicit double-to-Scalar conversion per call creates a native Scalar that
    // the GC may finalize while libtorch still reads it (seen as "Unknown scalar type" in Release builds).
    private readonly Scalar _eps;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    public LlamaRMSNorm(long hiddenSize, double eps, ScalarType dtype, Device device) : base(nameof(LlamaRMSNorm))
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
        x = x * rsqrt(variance.PlusInPlace(_eps));
        return (_weight * x.to(inputType)).MoveToOuterDisposeScope();
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
