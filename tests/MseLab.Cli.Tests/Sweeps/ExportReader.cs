using System.Text.Json;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary>
/// Reads a Parquet file with hyparquet (tests/tools/parquet-read.mjs, pure JavaScript): a reader independent of the
/// Parquet.Net writer under test, so a type or value it disagrees with is a real interoperability bug.
/// </summary>
public static class ExportReader
{
    public static string Tools { get; } = Path.Combine(RepositoryRoot(), "tests", "tools");

    /// <summary>The file as hyparquet sees it: <c>columns</c> (name, type, repetition, logical) and <c>rows</c>.</summary>
    public static JsonDocument ReadParquet(string path)
    {
        if (!Directory.Exists(Path.Combine(Tools, "node_modules", "hyparquet")))
        {
            throw new InvalidOperationException($"hyparquet is missing under {Tools}: run `npm ci --prefix tests/tools` (scripts/test.sh does).");
        }

        var run = ChildProcess.Run("node", [Path.Combine(Tools, "parquet-read.mjs"), path]);
        return run.ExitCode == 0
            ? JsonDocument.Parse(run.StandardOutput)
            : throw new InvalidOperationException($"parquet-read.mjs {path} failed ({run.ExitCode}): {run.StandardError}");
    }

    /// <summary>The column of that name from <see cref="ReadParquet"/>'s output.</summary>
    public static JsonElement Column(JsonDocument file, string name) =>
        file.RootElement.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MseLab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no MseLab.sln above {AppContext.BaseDirectory}");
    }
}
