namespace MseLab.Datasets.Readers;

/// <summary>
/// One split (<c>train</c>, <c>valid</c> or <c>test</c>) as read and checked: raw texts (re-tokenized by the LLM), ids
/// (MMSA datasets only), audio and vision features (<see cref="FeatureSource"/>, cleaned), their true lengths (1..T), and
/// labels: regression values as float32, or class indices in the official order (never -1: unknown labels are errors).
/// </summary>
public sealed record SourceSplit(
    string Name,
    IReadOnlyList<string> Texts,
    IReadOnlyList<string>? Ids,
    FeatureSource Audio,
    FeatureSource Vision,
    IReadOnlyList<int> AudioLengths,
    IReadOnlyList<int> VisionLengths,
    IReadOnlyList<float> Labels)
{
    public int Count => Labels.Count;
}
