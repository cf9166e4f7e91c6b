namespace MseLab.Datasets.Cache;

/// <summary>
/// One split of a prepared dataset: texts, ids, lengths and labels in memory (small), features in the memory-mapped
/// cache files (one view per modality, shared by every trial of the process and, through the page cache, of the machine).
/// </summary>
public sealed class PreparedSplit
{
    public required string Name { get; init; }

    public required int Count { get; init; }

    public required int AudioSteps { get; init; }

    public required int AudioDim { get; init; }

    public required int VisionSteps { get; init; }

    public required int VisionDim { get; init; }

    public required IReadOnlyList<string> Texts { get; init; }

    /// <summary>Sample ids (MMSA datasets); null for MELD and CHERMA, which have none.</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    public required IReadOnlyList<int> AudioLengths { get; init; }

    public required IReadOnlyList<int> VisionLengths { get; init; }

    /// <summary>Regression values, or class indices as floats.</summary>
    public required IReadOnlyList<float> Labels { get; init; }

    /// <summary>The mapped feature files and the handle they belong to (set by <see cref="DatasetCache"/>).</summary>
    internal SplitFeatures? Features { get; init; }

    /// <summary>Sample <paramref name="index"/>'s audio (AudioSteps x AudioDim, row-major, cleaned), a view into the mapped file.</summary>
    /// <exception cref="ObjectDisposedException">The <see cref="PreparedDataset"/> was disposed.</exception>
    public ReadOnlyMemory<float> Audio(int index) => Mapped.Audio(index);

    /// <summary>Sample <paramref name="index"/>'s vision features, a view into the mapped file.</summary>
    /// <exception cref="ObjectDisposedException">The <see cref="PreparedDataset"/> was disposed.</exception>
    public ReadOnlyMemory<float> Vision(int index) => Mapped.Vision(index);

    private SplitFeatures Mapped => Features
        ?? throw new InvalidOperationException($"Split '{Name}' was not opened from a dataset cache: it has no feature files.");
}

/// <summary>A split's two mapped files, reachable only while the dataset handle that opened them is not disposed.</summary>
internal sealed class SplitFeatures(CacheLease lease, FeatureFile audio, FeatureFile vision)
{
    public ReadOnlyMemory<float> Audio(int index)
    {
        lease.ThrowIfDisposed();
        return audio.Sample(index);
    }

    public ReadOnlyMemory<float> Vision(int index)
    {
        lease.ThrowIfDisposed();
        return vision.Sample(index);
    }
}
