using MseLab.Experiments.Datasets;

namespace MseLab.Training.Data;

/// <summary>A dataset's three splits, with the facts of the paper dataset whose shapes they have.</summary>
public sealed record MultimodalDataset(PaperDatasetInfo Info, IReadOnlyList<MultimodalSample> Train, IReadOnlyList<MultimodalSample> Valid, IReadOnlyList<MultimodalSample> Test)
{
    /// <summary>A content hash of every split (text, features, lengths, labels), recorded with results as provenance.</summary>
    public string ContentHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var sample in Train.Concat(Valid).Concat(Test))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(sample.Text));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sample.Audio.AsSpan()));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sample.Video.AsSpan()));
            hash.AppendData(BitConverter.GetBytes(sample.AudioLength));
            hash.AppendData(BitConverter.GetBytes(sample.VideoLength));
            hash.AppendData(BitConverter.GetBytes(sample.Label));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
