namespace MseLab.Training.Data;

/// <summary>
/// The fixed tensor shapes of a dataset (spec section 3): text length L in LLM tokens, padded audio and video
/// sequence lengths and feature sizes, and the metric task the labels are scored with.
/// </summary>
public sealed record DatasetShape(string Name, TaskKind Kind, string MetricsTask, int TextLength, int AudioSteps, int AudioDim, int VideoSteps, int VideoDim)
{
    /// <summary>CMU-MOSEI unaligned_50 (MMSA): COVAREP 500x74, Facet 500x35, labels in [-3, 3].</summary>
    public static DatasetShape Mosei { get; } = new("mosei", TaskKind.Regression, "mosei", 50, 500, 74, 500, 35);

    /// <summary>CH-SIMS v2 (s): 925x25 audio, 232x177 vision, labels in [-1, 1].</summary>
    public static DatasetShape SimsV2 { get; } = new("simsv2", TaskKind.Regression, "simsv2", 50, 925, 25, 232, 177);

    /// <summary>MELD (author pickles): 157x64 audio, 32x64 video, 7 emotions.</summary>
    public static DatasetShape Meld { get; } = new("meld", TaskKind.Classification, "meld", 65, 157, 64, 32, 64);

    /// <summary>CHERMA 0723 (author pickles): 543x1024 audio, 16x2048 video, 7 emotions.</summary>
    public static DatasetShape Cherma { get; } = new("cherma", TaskKind.Classification, "cherma", 78, 543, 1024, 16, 2048);

    /// <summary>The shape of a paper dataset by name (mosei, simsv2, meld, cherma).</summary>
    public static DatasetShape ByName(string name) => name.ToLowerInvariant() switch
    {
        "mosei" => Mosei,
        "simsv2" => SimsV2,
        "meld" => Meld,
        "cherma" => Cherma,
        _ => throw new ArgumentException($"Unknown dataset '{name}': use mosei, simsv2, meld or cherma."),
    };
}
