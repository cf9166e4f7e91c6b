using System.Text.Json;
using MseLab.Experiments.Datasets;
using MseLab.TestSupport;

namespace MseLab.Datasets.Tests.Readers;

/// <summary>
/// Runs make_datasets.py (Debian's python3 + numpy, Python's own pickle) once per test class: the six datasets in the
/// official layout under <see cref="GoodRoot"/>, one data root per bad case under <see cref="BadRoot"/>, and what the
/// official loader's operations make of the good files (expected.json).
/// </summary>
public sealed class GeneratedDatasets : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-readers-").FullName;
    private readonly JsonDocument _expected;

    public GeneratedDatasets()
    {
        ChildProcess.RunPython(Path.Combine("Readers", "make_datasets.py"), [_dir]);
        _expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "expected.json")));
    }

    public string GoodRoot => Path.Combine(_dir, "good");

    /// <summary>The data root of one bad case (see make_datasets.py's bad_cases).</summary>
    public string BadRoot(string caseName) => Path.Combine(_dir, "bad", caseName);

    /// <summary>The summary the numpy reference computed, as the raw JSON element (for JSON comparisons).</summary>
    public JsonElement ExpectedSummaryJson(PaperDataset dataset) =>
        _expected.RootElement.GetProperty("summaries").GetProperty(PaperDatasets.Info(dataset).Name);

    /// <summary>The numpy reference's per-split sample data: texts, ids, labels, lengths, per-sample sums, probes.</summary>
    public JsonElement ExpectedSamples(PaperDataset dataset, string split) =>
        _expected.RootElement.GetProperty("samples").GetProperty(PaperDatasets.Info(dataset).Name).GetProperty(split);

    public void Dispose()
    {
        _expected.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A number from the reference, where non-finite values are the strings "NaN", "Infinity", "-Infinity".</summary>
    public static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new FormatException($"unexpected reference value '{other}'"),
        }
        : value.GetDouble();

    /// <summary>Equal for non-finite values; within 1e-9 relative (1e-9 absolute near 0) otherwise: numpy sums pairwise.</summary>
    public static void AssertClose(double expected, double actual, string what)
    {
        if (!double.IsFinite(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }

        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
    }
}
