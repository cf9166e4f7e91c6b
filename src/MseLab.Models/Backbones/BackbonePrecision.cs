using MseLab.Experiments.Trials;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Backbones;

/// <summary>
/// What a trial's <see cref="TrialPrecision"/> does to its frozen backbone. <c>paper</c> reproduces the official
/// <c>from_pretrained(torch_dtype=torch.bfloat16).half()</c> (Textmodel.py:28-32): every weight rounded to bf16 (round to
/// nearest even) and then stored as fp16. On CUDA the backbone then computes in fp16 (TorchSharp 0.107 has no autocast:
/// the backbone is fp16 throughout, the adapter stays float32); on the CPU the rounded weights compute in float32.
/// </summary>
public static class BackbonePrecision
{
    /// <summary>
    /// The dtype to load the backbone in: fp16 for <c>paper</c> on CUDA, float32 otherwise. For <c>paper</c> the load
    /// must be exact before <see cref="Apply"/> rounds: float32 always is, fp16 is for fp16 and bf16 checkpoints (the
    /// paper's three), and an fp32 checkpoint loaded straight into fp16 would be rounded twice (use <see cref="Round"/>
    /// per tensor as it is read instead).
    /// </summary>
    public static ScalarType DType(TrialPrecision precision, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return precision == TrialPrecision.Paper && device.type == DeviceType.CUDA ? ScalarType.Float16 : ScalarType.Float32;
    }

    /// <summary>
    /// One weight as the official loading leaves it: <paramref name="weight"/> (in its checkpoint dtype) rounded to bf16,
    /// then to fp16, returned in <paramref name="dtype"/> (a new tensor). Equals PyTorch's <c>w.to(torch.bfloat16).to(torch.float16)</c>.
    /// </summary>
    public static Tensor Round(Tensor weight, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var bf16 = weight.to(ScalarType.BFloat16);
        using var fp16 = bf16.to(ScalarType.Float16);
        return fp16.to(dtype);
    }

    /// <summary>
    /// Applies <paramref name="precision"/> to a loaded backbone in place: nothing for <c>fp32</c>; for <c>paper</c> every
    /// weight is replaced by <see cref="Round"/> of itself (idempotent, so tied weights may be visited twice).
    /// </summary>
    /// <exception cref="ArgumentException">A <c>paper</c> backbone not held in float32 or fp16 (bf16 cannot hold the fp16 values).</exception>
    public static void Apply(ICausalBackbone backbone, TrialPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        if (precision == TrialPrecision.Fp32)
        {
            return;
        }

        if (backbone.DType is not (ScalarType.Float32 or ScalarType.Float16))
        {
            throw new ArgumentException(
                $"Precision 'paper' rounds the weights through bf16 to fp16, which a {backbone.DType} backbone cannot hold; load it in Float32 or Float16.",
                nameof(backbone));
        }

        using var noGrad = no_grad();
        foreach (var (_, weight) in backbone.NamedWeights())
        {
            using var rounded = Round(weight, weight.dtype);
            weight.copy_(rounded);
        }
    }
}
