using MseLab.Experiments.Backbones;
using static TorchSharp.torch;

namespace MseLab.Training.Backbones;

/// <summary>
/// What makes two frozen backbones the same copy: the model folder (absolute), its family, the dtype of the weights and
/// the device they live on (<c>cpu</c>, <c>cuda:0</c>).
/// </summary>
public sealed record BackboneKey(string Directory, BackboneFamily Family, ScalarType DType, string Device)
{
    public static BackboneKey Of(string directory, BackboneFamily family, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)), family, dtype, device.ToString());
    }
}
