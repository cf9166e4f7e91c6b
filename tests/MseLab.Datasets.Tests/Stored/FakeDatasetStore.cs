using MseLab.Datasets.Cache;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Stored;

/// <summary>
/// A store over real files under a root (one file per dataset, <c>NAME/data.pkl</c>) whose hash is a SHA-256 of their
/// bytes computed here, counting the hashes it made: what the pinning and the worker's check need, without the cache.
/// </summary>
internal sealed class FakeDatasetStore : IDatasetStore
{
    private int _hashes;

    public int HashCount => _hashes;

    public static string RelativeFile(PaperDataset dataset) => Path.Combine(PaperDatasets.Info(dataset).Name.ToUpperInvariant(), "data.pkl");

    public static string Write(string root, PaperDataset dataset, string content)
    {
        var path = Path.Combine(root, RelativeFile(dataset));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public static string HashOf(string content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    public IReadOnlyList<string> Files(string root, PaperDataset dataset) => [Path.GetFullPath(Path.Combine(root, RelativeFile(dataset)))];

    public string Hash(string root, PaperDataset dataset)
    {
        Interlocked.Increment(ref _hashes);
        var file = Files(root, dataset)[0];
        return File.Exists(file)
            ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)))
            : throw new FileNotFoundException($"{file} is missing (expected layout: {RelativeFile(dataset)}).", file);
    }

    public PreparedDataset Open(string root, PaperDataset dataset, string? expectedHash) =>
        throw new NotSupportedException("The fake store opens nothing: trials on stored data are tested with the real cache.");
}
