using MseLab.Experiments.Datasets;

namespace MseLab.Training.Data;

/// <summary>
/// A dataset's three splits, with the facts of the paper dataset whose shapes they have. Disposing it releases what the
/// samples' features are views of (the mapped cache of stored data); synthetic data holds nothing.
/// </summary>
public sealed record MultimodalDataset(PaperDatasetInfo Info, IReadOnlyList<MultimodalSample> Train, IReadOnlyList<MultimodalSample> Valid, IReadOnlyList<MultimodalSample> Test) : IDisposable
{
    /// <summary>The content hash of the files the data was read from (stored data), or null (generated data).</summary>
    public string? SourceHash { get; init; }

    /// <summary>What the samples' feature views point into; disposed with the dataset.</summary>
    public IDisposable? Owner { get; init; }

    /// <summary>The hash recorded with results as provenance: the source files' hash, else <see cref="ContentHash"/>.</summary>
    public string ProvenanceHash() => SourceHash ?? ContentHash();

    /// <summary>A content hash of every split (text, features, lengths, labels).</summary>
    public string ContentHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var sample in Train.Concat(Valid).Concat(Test))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(sample.Text));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sample.Audio.Span));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sample.Video.Span));
            hash.AppendData(BitConverter.GetBytes(sample.AudioLength));
            hash.AppendData(BitConverter.GetBytes(sample.VideoLength));
            hash.AppendData(BitConverter.GetBytes(sample.Label));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose() => Owner?.Dispose();
}
