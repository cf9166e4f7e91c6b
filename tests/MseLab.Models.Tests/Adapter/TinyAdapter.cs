using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

/// <summary>A small adapter (D = 64, every k divides it) and seeded random batches for it.</summary>
internal static class TinyAdapter
{
    public static MseAdapterConfig Config { get; } = new(HiddenSize: 64, PseudoTokens: 3, AudioFeatureDim: 5, VideoFeatureDim: 7, AudioHidden: 6, VideoHidden: 4);

    public const int TextLength = 6;
    public const int AudioSteps = 9;
    public const int VideoSteps = 4;

    public static MseAdapter Create(int seed = 7)
    {
        manual_seed(seed);
        return new MseAdapter(Config);
    }

    /// <summary>A batch with the given true lengths (unsorted, and 0 allowed) and random padded features.</summary>
    public static AdapterInput Batch(long[] audioLengths, long[] videoLengths, int seed = 11)
    {
        manual_seed(seed);
        var batch = audioLengths.Length;
        return new AdapterInput(
            TextEmbeds: randn(batch, TextLength, Config.HiddenSize),
            Audio: randn(batch, AudioSteps, Config.AudioFeatureDim),
            AudioLengths: tensor(audioLengths),
            Video: randn(batch, VideoSteps, Config.VideoFeatureDim),
            VideoLengths: tensor(videoLengths));
    }
}
