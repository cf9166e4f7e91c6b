using MseLab.Experiments.Datasets;
using Polly;
using Polly.Retry;

namespace MseLab.Datasets.Cache;

/// <summary>
/// Converts a dataset's official files once into a memory-mappable cache folder keyed by the files' content hash, and maps
/// it. The folder appears complete or not at all (written aside, then renamed), so a crash mid-way leaves nothing that
/// looks prepared; concurrent preparers of one dataset make it once.
/// </summary>
/// <remarks>
/// Layout: <c>&lt;Directory&gt;/&lt;name&gt;-&lt;hash&gt;/</c> holds <c>manifest.json</c> and per split
/// <c>&lt;split&gt;.audio.f32</c>, <c>&lt;split&gt;.vision.f32</c>; <c>hash-index.json</c> remembers file hashes;
/// <c>&lt;name&gt;-&lt;hash&gt;.lock</c> serialises preparers; <c>.tmp-*</c> folders are preparations in progress (or left by a
/// crash, removed by the next preparer of that dataset).
/// </remarks>
public sealed class DatasetCache(string directory)
{
    /// <summary>Environment variable naming the cache folder.</summary>
    public const string EnvironmentVariable = "MSELAB_DATA_CACHE";

    private const string TemporaryPrefix = ".tmp-";
    private const string DiscardedPrefix = ".discarded-";
    private const string LockSuffix = ".lock";

    // Another process holds the lock while it prepares this dataset (minutes for a multi-GB file): wait for it, up to an
    // hour. Only that refusal is waited out (EWOULDBLOCK from flock on Linux, a sharing violation on Windows), as in
    // BackboneLocator; any other I/O error is the caller's at once.
    private static readonly ResiliencePipeline LockWait = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e.HResult is 11 or unchecked((int)0x80070020)),
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Constant,
            MaxRetryAttempts = 4 * 3600,
        })
        .Build();

    /// <summary>The cache folder: MSELAB_DATA_CACHE, else $XDG_CACHE_HOME/mselab/datasets, else ~/.cache/mselab/datasets.</summary>
    public static DatasetCache Default => new(DefaultDirectory());

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// The content hash of <paramref name="dataset"/>'s files under <paramref name="root"/> (SHA-256 over the files in
    /// layout order), remembered per (path, size, mtime) so that an unchanged file is hashed once.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the expected layout.</exception>
    public string Hash(string root, PaperDataset dataset) => Hash(DatasetOrigin.Official(root, dataset));

    /// <summary>
    /// Prepares <paramref name="dataset"/> under <paramref name="root"/> if its cache is missing, then maps it. With
    /// <paramref name="expectedHash"/>, a source whose hash differs is refused (the message names both hashes and the root).
    /// </summary>
    /// <exception cref="DatasetHashMismatchException">The files' hash is not <paramref name="expectedHash"/>.</exception>
    public PreparedDataset Open(string root, PaperDataset dataset, string? expectedHash = null, IProgress<PrepareProgress>? progress = null) =>
        Open(DatasetOrigin.Official(root, dataset), expectedHash, progress);

    /// <summary>Prepares (reads, checks, converts) without mapping; returns the content hash. A no-op when already prepared.</summary>
    public string Prepare(string root, PaperDataset dataset, IProgress<PrepareProgress>? progress = null) =>
        Prepare(DatasetOrigin.Official(root, dataset), progress);

    /// <summary>The folder that holds (or will hold) <paramref name="dataset"/> prepared from files of content hash <paramref name="hash"/>.</summary>
    public string FolderOf(PaperDataset dataset, string hash) => Path.Combine(Directory, $"{PaperDatasets.Info(dataset).Name}-{hash}");

    internal string Hash(DatasetOrigin origin) => new ContentHasher(Directory).DatasetHash(origin.Root, origin.RelativeFiles, origin.DescribeLayout);

    internal string Prepare(DatasetOrigin origin, IProgress<PrepareProgress>? progress)
    {
        var hash = Hash(origin);
        EnsurePrepared(origin, hash, progress);
        return hash;
    }

    internal PreparedDataset Open(DatasetOrigin origin, string? expectedHash, IProgress<PrepareProgress>? progress)
    {
        var hash = Hash(origin);
        if (expectedHash is not null && !string.Equals(expectedHash, hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new DatasetHashMismatchException(origin.Root, origin.Dataset, expectedHash, hash);
        }

        var folder = FolderOf(origin.Dataset, hash);
        if (CacheMappings.TryAcquire(folder) is { } mapped)
        {
            return PreparedDataset.Over(origin.Dataset, mapped);
        }

        var manifest = EnsurePrepared(origin, hash, progress);
        try
        {
            return PreparedDataset.Over(origin.Dataset, CacheMappings.Acquire(folder, manifest));
        }
        catch (CorruptCacheException e)
        {
            // Damaged between the check and the mapping (another process, a disk): prepare once more, then map or fail.
            progress?.Report(Note(origin, $"The cache {folder} changed while it was opened ({e.Message}): preparing it again."));
            manifest = EnsurePrepared(origin, hash, progress, discard: true);
            return PreparedDataset.Over(origin.Dataset, CacheMappings.Acquire(folder, manifest));
        }
    }

    private CacheManifest EnsurePrepared(DatasetOrigin origin, string hash, IProgress<PrepareProgress>? progress, bool discard = false)
    {
        var folder = FolderOf(origin.Dataset, hash);
        if (!discard && Validate(folder, origin, hash) is { Manifest: { } ready })
        {
            return ready;
        }

        System.IO.Directory.CreateDirectory(Directory);
        using var fileLock = LockWait.Execute(() => new FileStream(folder + LockSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
        var check = Validate(folder, origin, hash);
        if (check.Manifest is { } made && !discard)
        {
            return made;   // another thread or process prepared it while this one waited for the lock
        }

        if (check.Problem is { } problem)
        {
            progress?.Report(Note(origin, $"The cache {folder} is damaged ({problem}): preparing it again, not using it."));
        }

        Discard(folder);
        RemoveTemporaries(Path.GetFileName(folder));
        var temporary = Path.Combine(Directory, $"{TemporaryPrefix}{Path.GetFileName(folder)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            System.IO.Directory.CreateDirectory(temporary);
            progress?.Report(Note(origin, $"Reading {origin.Info.Name} under {origin.Root}."));
            var source = origin.Read();
            var files = origin.RelativeFiles.Select(f => new CacheSourceFile(f.Replace('\\', '/'), new FileInfo(origin.FullPath(f)).Length)).ToList();
            CacheWriter.Write(source, hash, files, temporary, progress);
            System.IO.Directory.Move(temporary, folder);   // the atomic step: before it nothing looks prepared
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }

        return Validate(folder, origin, hash).Manifest
            ?? throw new IOException($"The cache {folder} was written but does not read back; check the disk (free space, errors).");
    }

    /// <summary>The folder's manifest when the folder is complete and matches; else why not (null when it does not exist).</summary>
    private static (CacheManifest? Manifest, string? Problem) Validate(string folder, DatasetOrigin origin, string hash)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            return (null, null);
        }

        try
        {
            var manifest = CacheManifest.Read(folder);
            var problem = manifest.FormatVersion != CacheManifest.CurrentFormat ? $"format {manifest.FormatVersion}, this program writes {CacheManifest.CurrentFormat}"
                : manifest.Dataset != origin.Info.Name || manifest.Hash != hash ? $"it holds {manifest.Dataset} {manifest.Hash}"
                : manifest.ByteOrder != CacheManifest.LittleEndian ? $"byte order {manifest.ByteOrder}"
                : manifest.Splits.Select(s => SplitProblem(folder, s)).FirstOrDefault(p => p is not null);
            return problem is null ? (manifest, null) : (null, problem);
        }
        catch (CorruptCacheException e)
        {
            return (null, e.Message);
        }
    }

    private static string? SplitProblem(string folder, CacheSplit split)
    {
        var counts = new[] { split.Texts.Count, split.AudioLengths.Count, split.VisionLengths.Count, split.Labels.Count, split.Ids?.Count ?? split.N };
        if (counts.Any(c => c != split.N))
        {
            return $"split '{split.Name}' does not have {split.N} of every field";
        }

        foreach (var feature in new[] { split.Audio, split.Vision })
        {
            var path = Path.Combine(folder, feature.File);
            var expected = (long)split.N * feature.Steps * feature.Width * sizeof(float);
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != expected)
            {
                return $"{feature.File} has {(info.Exists ? info.Length : 0)} bytes, not {split.N} x {feature.Steps} x {feature.Width} x 4 = {expected}";
            }
        }

        return null;
    }

    // Moved aside first, so that no process finds a half-deleted folder under the prepared name; processes that still map
    // its files keep reading them (Linux unlinks, the pages live until unmapped).
    private void Discard(string folder)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            return;
        }

        var aside = Path.Combine(Directory, $"{DiscardedPrefix}{Path.GetFileName(folder)}-{Guid.NewGuid():N}");
        System.IO.Directory.Move(folder, aside);
        DeleteQuietly(aside);
    }

    // Called with the dataset's lock held: any temporary folder of this dataset and hash is a crashed preparer's.
    private void RemoveTemporaries(string name)
    {
        foreach (var leftover in System.IO.Directory.EnumerateDirectories(Directory, $"{TemporaryPrefix}{name}-*"))
        {
            DeleteQuietly(leftover);
        }

        foreach (var leftover in System.IO.Directory.EnumerateDirectories(Directory, $"{DiscardedPrefix}{name}-*"))
        {
            DeleteQuietly(leftover);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next preparer (it removes leftovers); never worth failing a preparation over.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static PrepareProgress Note(DatasetOrigin origin, string message) => new(origin.Info.Name, 0, 0) { Message = message };

    private static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheHome = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(cacheHome, "mselab", "datasets");
    }
}

/// <summary>
/// Prepare progress: bytes of feature data written so far out of the total (<see cref="Split"/> is the split being
/// written), or, when <see cref="Message"/> is set, a line worth showing (reading the files, a damaged cache prepared again).
/// </summary>
public readonly record struct PrepareProgress(string Split, long BytesDone, long BytesTotal)
{
    /// <summary>A line for the log or console; null for plain byte progress.</summary>
    public string? Message { get; init; }
}
