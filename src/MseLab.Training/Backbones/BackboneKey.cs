using MseLab.Experiments.Backbones;
using MseLab.Experiments.Trials;
using MseLab.Models.Backbones;
using static TorchSharp.torch;

namespace MseLab.Training.Backbones;

/// <summary>
/// What makes two frozen backbones the same copy: the model folder (absolute), its family, the dtype of the weights, the
/// device they live on (<c>cpu</c>, <c>cuda:0</c>) and the trial precision (a <c>paper</c> copy is rounded bf16 -> fp16 in
/// place, so it is never shared with an <c>fp32</c> trial, even where both hold float32 weights).
/// </summary>
public sealed record BackboneKey(string Directory, BackboneFamily Family, ScalarType DType, string Device, TrialPrecision Precision = TrialPrecision.Fp32)
{
    /// <summary>The key of a trial's backbone: the dtype follows from the precision and the device.</summary>
    public static BackboneKey Of(string directory, BackboneFamily family, TrialPrecision precision, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)), family, BackbonePrecision.DType(precision, device), device.ToString(), precision);
    }
}
