using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Data;

/// <summary>
/// The readers' generator (make_datasets.py: Python's pickle and numpy) run once per test class: the six datasets in the
/// official layout under <see cref="GoodRoot"/>, one root per bad case, and the numpy reference's summaries.
/// </summary>
public sealed class GeneratedData : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-cli-data-").FullName;

    public GeneratedData()
    {
        var result = ProcessRunner.PythonScript("make_datasets.py", _dir);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "expected.json")));
    }

    public string GoodRoot => Path.Combine(_dir, "good");

    public JsonDocument Expected { get; }

    public string BadRoot(string name) => Path.Combine(_dir, "bad", name);

    /// <summary>A fresh, empty cache folder for one test.</summary>
    public string NewCache() => Path.Combine(_dir, $"cache-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Expected.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
