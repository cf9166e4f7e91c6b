using System.Diagnostics;
using System.Text.Json;
using MseLab.Training.Metrics;

namespace MseLab.Training.Tests.Metrics;

/// <summary>
/// Writes every <see cref="ReferenceCases"/> dataset to CSV and runs reference_metrics.py (numpy + scikit-learn,
/// Debian's /usr/bin/python3) once for all of them, so the interpreter starts only once.
/// </summary>
public sealed class PythonReferenceFixture : IDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-metrics-").FullName;
    private readonly Dictionary<string, JsonElement> _results = [];

    public PythonReferenceFixture()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Metrics", "reference_metrics.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var c in ReferenceCases.All)
        {
            var path = CsvPath(c.Name);
            PredictionCsv.Write(path, c.Truth, c.Prediction);
            start.ArgumentList.Add(MetricsTaskNames.ToName(c.Task));
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {Python}; install python3-numpy and python3-sklearn (scripts/test.sh does).");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"{script} did not finish within 60 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {stderr.Result}");
        }

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
