using System.Text.Json;
using MseLab.Experiments.Metrics;
using MseLab.TestSupport;

namespace MseLab.Experiments.Tests.Metrics;

/// <summary>
/// Writes every <see cref="ReferenceCases"/> dataset to CSV and runs reference_metrics.py (numpy + scikit-learn,
/// Debian's /usr/bin/python3) once for all of them, so the interpreter starts only once.
/// </summary>
public sealed class PythonReferenceFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-metrics-").FullName;
    private readonly Dictionary<string, JsonElement> _results = [];

    public PythonReferenceFixture()
    {
        var args = new List<string>();
        foreach (var c in ReferenceCases.All)
        {
            var path = CsvPath(c.Name);
            PredictionCsv.Write(path, c.Truth, c.Prediction);
            args.Add(MetricsTaskNames.ToName(c.Task));
            args.Add(path);
        }

        var stdout = ChildProcess.RunPython(Path.Combine("Metrics", "reference_metrics.py"), args);
        using var document = JsonDocument.Parse(stdout);
        foreach (var c in ReferenceCases.All)
        {
            _results[c.Name] = document.RootElement.GetProperty(CsvPath(c.Name)).Clone();
        }
    }

    public string CsvPath(string caseName) => Path.Combine(_dir, caseName + ".csv");

    /// <summary>The reference metrics of a case, in the script's key order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Expected(string caseName)
    {
        var element = _results[caseName];
        if (element.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"the reference refused case {caseName}: {error.GetString()}");
        }

        return [.. element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Decode(p.Value)))];
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double Decode(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new FormatException($"unexpected reference value '{other}'"),
        }
        : value.GetDouble();
}
