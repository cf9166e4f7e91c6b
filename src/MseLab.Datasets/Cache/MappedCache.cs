namespace MseLab.Datasets.Cache;

/// <summary>
/// One prepared folder mapped in this process: its manifest and its feature files. Every <see cref="PreparedDataset"/>
/// opened on the folder shares it (<see cref="CacheMappings"/> counts them); the last one disposed unmaps it.
/// </summary>
internal sealed class MappedCache : IDisposable
{
    private MappedCache(string key, string folder, CacheManifest manifest, IReadOnlyList<(FeatureFile Audio, FeatureFile Vision)> features)
    {
        Key = key;
        Folder = folder;
        Manifest = manifest;
        Features = features;
    }

    public string Key { get; }

    public string Folder { get; }

    public CacheManifest Manifest { get; }

    /// <summary>Per split, in manifest order.</summary>
    public IReadOnlyList<(FeatureFile Audio, FeatureFile Vision)> Features { get; }

    /// <summary>Open handles; guarded by <see cref="CacheMappings"/>' lock.</summary>
    public int References { get; set; }

    public static MappedCache Map(string key, string folder, CacheManifest manifest)
    {
        var features = new List<(FeatureFile, FeatureFile)>();
        try
        {
            foreach (var split in manifest.Splits)
            {
                var audio = FeatureFile.Map(Path.Combine(folder, split.Audio.File), split.N, split.Audio.SampleLength);
                try
                {
                    features.Add((audio, FeatureFile.Map(Path.Combine(folder, split.Vision.File), split.N, split.Vision.SampleLength)));
                }
                catch
                {
                    audio.Dispose();
                    throw;
                }
            }

            return new MappedCache(key, folder, manifest, features);
        }
        catch
        {
            foreach (var (audio, vision) in features)
            {
                audio.Dispose();
                vision.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var (audio, vision) in Features)
        {
            audio.Dispose();
            vision.Dispose();
        }
    }
}

/// <summary>The folders mapped in this process, so that opening one dataset twice maps it once.</summary>
internal static class CacheMappings
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, MappedCache> Mapped = new(StringComparer.Ordinal);

    /// <summary>
    /// The process's mapping of <paramref name="folder"/> with one more reference, or null when it has none. The key holds
    /// the manifest's write time: a folder that another process replaced (a damaged one prepared again) is mapped afresh.
    /// </summary>
    public static MappedCache? TryAcquire(string folder)
    {
        var key = KeyOf(folder);
        lock (Gate)
        {
            if (Mapped.TryGetValue(key, out var cache))
            {
                cache.References++;
                return cache;
            }

            return null;
        }
    }

    /// <summary>Maps <paramref name="folder"/> (already validated against <paramref name="manifest"/>) unless it is mapped, and takes a reference.</summary>
    public static MappedCache Acquire(string folder, CacheManifest manifest)
    {
        var key = KeyOf(folder);
        lock (Gate)
        {
            if (!Mapped.TryGetValue(key, out var cache))
            {
                cache = MappedCache.Map(key, folder, manifest);
                Mapped.Add(key, cache);
            }

            cache.References++;
            return cache;
        }
    }

    public static void Release(MappedCache cache)
    {
        lock (Gate)
        {
            if (--cache.References > 0)
            {
                return;
            }

            Mapped.Remove(cache.Key);
        }

        cache.Dispose();
    }

    /// <summary>How many handles hold <paramref name="folder"/>'s mapping now (0 when unmapped); for tests.</summary>
    public static int References(string folder)
    {
        lock (Gate)
        {
            return Mapped.Values.Where(c => c.Folder == folder).Sum(c => c.References);
        }
    }

    private static string KeyOf(string folder) =>
        $"{folder}|{File.GetLastWriteTimeUtc(Path.Combine(folder, CacheManifest.FileName)).Ticks}";
}
