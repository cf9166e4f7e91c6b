using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Cache;

/// <summary>
/// Converts a dataset's official files once into a memory-mappable cache folder keyed by the files' content hash, and maps
/// it. The folder appears complete or not at all (written aside, then renamed), so a crash mid-way leaves nothing that
/// looks prepared; concurrent preparers of one dataset make it once.
/// </summary>
public sealed class DatasetCache(string directory)
{
    // CONTRACT (helper "cache" implements).

    /// <summary>Environment variable naming the cache folder.</summary>
    public const string EnvironmentVariable = "MSELAB_DATA_CACHE";

    /// <summary>The cache folder: MSELAB_DATA_CACHE, else $XDG_CACHE_HOME/mselab/datasets, else ~/.cache/mselab/datasets.</summary>
    public static DatasetCache Default => throw new NotImplementedException();

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// The content hash of <paramref name="dataset"/>'s files under <paramref name="root"/> (SHA-256 over the files in
    /// layout order), remembered per (path, size, mtime) so that an unchanged file is hashed once.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the expected layout.</exception>
    public string Hash(string root, PaperDataset dataset) => throw new NotImplementedException();

    /// <summary>
    /// Prepares <paramref name="dataset"/> under <paramref name="root"/> if its cache is missing, then maps it. With
    /// <paramref name="expectedHash"/>, a source whose hash differs is refused (the message names both hashes and the root).
    /// </summary>
    public PreparedDataset Open(string root, PaperDataset dataset, string? expectedHash = null, IProgress<PrepareProgress>? progress = null) =>
        throw new NotImplementedException();

    /// <summary>Prepares (reads, checks, converts) without mapping; returns the content hash. A no-op when already prepared.</summary>
    public string Prepare(string root, PaperDataset dataset, IProgress<PrepareProgress>? progress = null) => throw new NotImplementedException();
}

/// <summary>Prepare progress: bytes of feature data written so far out of the total.</summary>
public readonly record struct PrepareProgress(string Split, long BytesDone, long BytesTotal);
