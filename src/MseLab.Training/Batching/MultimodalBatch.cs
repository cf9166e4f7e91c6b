using MseLab.Training.Data;
using static TorchSharp.torch;

namespace MseLab.Training.Batching;

/// <summary>One batch as tensors: text ids (B, L) int64, audio (B, Ta, da), video (B, Tv, dv), true lengths (B) int64.</summary>
public sealed record MultimodalBatch(Tensor TextIds, Tensor Audio, Tensor AudioLengths, Tensor Video, Tensor VideoLengths, IReadOnlyList<MultimodalSample> Samples) : IDisposable
{
    public int Size => Samples.Count;

    public void Dispose()
    {
        TextIds.Dispose();
        Audio.Dispose();
        AudioLengths.Dispose();
        Video.Dispose();
        VideoLengths.Dispose();
    }
}
