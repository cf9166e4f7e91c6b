using MseLab.Datasets.Cache;
using MseLab.Datasets.Readers;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Tests.Cache;

/// <summary>
/// A dataset for the cache tests without the readers: source files of random bytes in the official layout (what is hashed)
/// and a <see cref="DatasetSource"/> built in memory (what is prepared), with -inf, NaN and +inf among the values, and a
/// count of how often it was read.
/// </summary>
internal sealed class FakeDataset
{
    private static readonly string[] SplitNames = ["train", "valid", "test"];
    private int _reads;

    public FakeDataset(string root, PaperDataset dataset, int seed = 1, int[]? counts = null, (int Steps, int Width)? audio = null, (int Steps, int Width)? vision = null, Action<int>? beforeCopy = null, bool nonFinite = true)
    {
        Root = Path.GetFullPath(root);
        Dataset = dataset;
        var info = PaperDatasets.Info(dataset);
        var random = new Random(seed);
        RelativeFiles = info.Dataset switch
        {
            PaperDataset.Meld => [.. SplitNames.Select(s => $"MELD/meld_{s}.pkl")],
            PaperDataset.Cherma => [.. SplitNames.Select(s => $"CHERMA0723/cherma_{s}.pkl")],
            _ => [$"{info.Name.ToUpperInvariant()}/Processed/unaligned_50.pkl"],
        };
        foreach (var file in RelativeFiles)
        {
            var path = Path.Combine(Root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new byte[1000 + random.Next(1000)];
            random.NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        }

        var (aSteps, aWidth) = audio ?? (7, 5);
        var (vSteps, vWidth) = vision ?? (4, 3);
        counts ??= [6, 2, 3];
        Splits = [.. SplitNames.Select((name, s) =>
        {
            var n = counts[s];
            var audioSource = new MemoryFeatureSource(Values(random, n * aSteps * aWidth, nonFinite), n, aSteps, aWidth) { BeforeCopy = beforeCopy };
            var visionSource = new MemoryFeatureSource(Values(random, n * vSteps * vWidth, nonFinite), n, vSteps, vWidth) { BeforeCopy = beforeCopy };
            return new SourceSplit(
                name,
                [.. Enumerable.Range(0, n).Select(i => $"{name} text {i} ünïcödé \U00020BB7")],
                info.IsClassification ? null : [.. Enumerable.Range(0, n).Select(i => $"{name}_{i}")],
                audioSource,
                visionSource,
                [.. Enumerable.Range(0, n).Select(_ => random.Next(1, aSteps + 1))],
                [.. Enumerable.Range(0, n).Select(_ => random.Next(1, vSteps + 1))],
                [.. Enumerable.Range(0, n).Select(_ => info.IsClassification ? random.Next(7) : (float)((random.NextDouble() * 6) - 3))]);
        })];
    }

    public string Root { get; }

    public PaperDataset Dataset { get; }

    public IReadOnlyList<string> RelativeFiles { get; }

    public IReadOnlyList<SourceSplit> Splits { get; }

    public int Reads => Volatile.Read(ref _reads);

    public DatasetSource Source => new(Dataset, Root, [.. RelativeFiles.Select(f => Path.Combine(Root, f))], Splits);

    public DatasetOrigin Origin => new(Root, Dataset, RelativeFiles, Read, () => $"Expected: {string.Join(", ", RelativeFiles)}");

    public string FullPath(string relative) => Path.Combine(Root, relative);

    /// <summary>Sets every source file's last-write time well in the past, so the hash index may remember them.</summary>
    public void AgeFiles()
    {
        foreach (var file in RelativeFiles)
        {
            File.SetLastWriteTimeUtc(FullPath(file), DateTime.UtcNow.AddHours(-1));
        }
    }

    private DatasetSource Read()
    {
        Interlocked.Increment(ref _reads);
        return Source;
    }

    private static float[] Values(Random random, int length, bool nonFinite)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 4) - 2);
        }

        // The official cleaning leaves these in place (audio NaN and +inf, vision ±inf); the cache must carry them bit for bit.
        if (nonFinite && length >= 3)
        {
            values[0] = float.NaN;
            values[1] = float.PositiveInfinity;
            values[2] = float.NegativeInfinity;
        }

        return values;
    }
}
