using System.Text.Json;

namespace MseLab.TestSupport;

/// <summary>
/// The repository's folders as tests see them, and the Node tools under tests/tools (installed by <c>npm ci --prefix
/// tests/tools</c>, which scripts/test.sh runs): hyparquet is the Parquet reader independent of the Parquet.Net writer.
/// </summary>
public static class TestTools
{
    /// <summary>The folder holding MseLab.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>tests/tools: the Node scripts and their node_modules.</summary>
    public static string Folder { get; } = Path.Combine(RepositoryRoot, "tests", "tools");

    /// <summary>Fails with the fix when a Node package of tests/tools is not installed.</summary>
    public static void Require(string package)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", package)))
        {
            throw new InvalidOperationException($"{package} is missing under {Folder}: run `npm ci --prefix tests/tools` (scripts/test.sh does).");
        }
    }

    /// <summary>A Parquet file as hyparquet (tests/tools/parquet-read.mjs) sees it: <c>columns</c> (name, type, repetition, logical) and <c>rows</c>.</summary>
    public static JsonDocument ReadParquet(string path)
    {
        Require("hyparquet");
        var run = ChildProcess.Run("node", [Path.Combine(Folder, "parquet-read.mjs"), path]);
        return run.ExitCode == 0
            ? JsonDocument.Parse(run.StandardOutput)
            : throw new InvalidOperationException($"parquet-read.mjs {path} failed ({run.ExitCode}): {run.StandardError}");
    }

    /// <summary>The column of that name from <see cref="ReadParquet"/>'s output.</summary>
    public static JsonElement ParquetColumn(JsonDocument file, string name) =>
        file.RootElement.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static string FindRepositoryRoot()
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
