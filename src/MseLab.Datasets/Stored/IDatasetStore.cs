using MseLab.Datasets.Cache;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Stored;

/// <summary>
/// Where a paper dataset's published files are found, hashed and opened: the seam between sweeps, workers and trials and the
/// dataset cache (<see cref="CachedDatasetStore"/> in production; tests give their own).
/// </summary>
public interface IDatasetStore
{
    /// <summary>The absolute paths of <paramref name="dataset"/>'s files under <paramref name="root"/>, in layout order (present or not).</summary>
    IReadOnlyList<string> Files(string root, PaperDataset dataset);

    /// <summary>The SHA-256 (lower-case hex) of <paramref name="dataset"/>'s files under <paramref name="root"/>; remembered while they do not change.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the expected layout.</exception>
    string Hash(string root, PaperDataset dataset);

    /// <summary>Maps <paramref name="dataset"/> (prepared on first use); with <paramref name="expectedHash"/>, only a copy with that hash.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DatasetFileException">A file is unusable, or its content hash is not <paramref name="expectedHash"/>.</exception>
    PreparedDataset Open(string root, PaperDataset dataset, string? expectedHash);
}
