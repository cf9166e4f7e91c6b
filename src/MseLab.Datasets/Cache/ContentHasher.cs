using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MseLab.Datasets.Cache;

/// <summary>
/// The content hash of a dataset's files: SHA-256 per file, then SHA-256 over the lines
/// <c>relative-path\tfile-hash\n</c> in layout order. Per-file hashes are remembered in <c>hash-index.json</c> in the cache
/// folder, keyed by (full path, size, last-write time), so an unchanged multi-GB file is read once.
/// </summary>
/// <remarks>
/// The limit of that key, as with make or rsync's quick check: a file rewritten with the same size whose last-write time is
/// then set back to the old value keeps its old hash. Anything that writes normally moves the time on. A file written in the
/// two seconds before it is hashed is not remembered (its next write could fall in the same clock tick: git's "racy" case);
/// it is simply hashed again next time.
/// </remarks>
internal sealed class ContentHasher(string cacheDirectory)
{
    public const string IndexFileName = "hash-index.json";

    private const int IndexVersion = 1;

    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly string _indexPath = Path.Combine(cacheDirectory, IndexFileName);

    /// <summary>Bytes read to hash (not found in the index) by this instance: what tests and the benchmark look at.</summary>
    public long BytesHashed { get; private set; }

    /// <summary>The dataset hash of <paramref name="relativeFiles"/> under <paramref name="root"/>.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message ends with <paramref name="describeLayout"/>'s text.</exception>
    public string DatasetHash(string root, IReadOnlyList<string> relativeFiles, Func<string> describeLayout)
    {
        var files = relativeFiles.Select(rel => new FileInfo(Path.GetFullPath(Path.Combine(root, rel)))).ToList();
        foreach (var file in files.Where(f => !f.Exists))
        {
            throw new FileNotFoundException($"{file.FullName} is missing. {describeLayout()}", file.FullName);
        }

        var index = ReadIndex();
        var learned = new List<HashIndexEntry>();
        var lines = new StringBuilder();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var (size, written) = (file.Length, file.LastWriteTimeUtc);
            var known = index.GetValueOrDefault(Key(file.FullName, size, written.Ticks));
            if (known is null)
            {
                var started = DateTime.UtcNow;
                known = HashFile(file.FullName);
                file.Refresh();
                var unchanged = file.Length == size && file.LastWriteTimeUtc == written;
                if (unchanged && written < started - RacyWindow)
                {
                    learned.Add(new HashIndexEntry(file.FullName, size, written.Ticks, known));
                }
            }

            lines.Append(CultureInfo.InvariantCulture, $"{relativeFiles[i].Replace('\\', '/')}\t{known}\n");
        }

        if (learned.Count > 0)
        {
            Remember(learned);
        }

        return Hex(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    private string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var hash = SHA256.HashData(stream);
        BytesHashed += stream.Length;
        return Hex(hash);
    }

    private Dictionary<string, string> ReadIndex() =>
        LoadEntries().ToDictionary(e => Key(e.Path, e.Size, e.LastWriteTicks), e => e.Sha256, StringComparer.Ordinal);

    private List<HashIndexEntry> LoadEntries()
    {
        try
        {
            using var stream = new FileStream(_indexPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            var file = JsonSerializer.Deserialize(stream, CacheJson.Default.HashIndexFile);
            return file is { Version: IndexVersion } ? [.. file.Entries] : [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            // No index yet, or one this version cannot read: everything is hashed again and a fresh index written.
            return [];
        }
    }

    // Concurrent writers: each merges into what is on disk now and replaces the file by a rename, so the index is always
    // whole; two writers at the same instant can lose one's new entries, which only costs a hash later.
    private void Remember(List<HashIndexEntry> learned)
    {
        var paths = learned.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var entries = LoadEntries().Where(e => !paths.Contains(e.Path) && File.Exists(e.Path)).Concat(learned).ToList();
        Directory.CreateDirectory(cacheDirectory);
        var temporary = $"{_indexPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, new HashIndexFile(IndexVersion, entries), CacheJson.Default.HashIndexFile);
            }

            File.Move(temporary, _indexPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Key(string path, long size, long ticks) => string.Create(CultureInfo.InvariantCulture, $"{path}\n{size}\n{ticks}");

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}

/// <summary><c>hash-index.json</c>: SHA-256 of files by (full path, size, last-write ticks).</summary>
internal sealed record HashIndexFile(int Version, IReadOnlyList<HashIndexEntry> Entries);

internal sealed record HashIndexEntry(string Path, long Size, long LastWriteTicks, string Sha256);
