using System.Diagnostics;
using System.Text.Json;

namespace MseLab.Api.Tests.Results;

/// <summary>
/// Reads Parquet bytes with hyparquet (tests/tools/parquet-read.mjs, pure JavaScript): a reader independent of the
/// Parquet.Net writer, as the CLI's export tests use it (this project carries no torch, so not through MseLab.TestSupport).
/// </summary>
internal static class ParquetReadBack
{
    private static readonly string Tools = Path.Combine(RepositoryRoot(), "tests", "tools");

    /// <summary>The file as hyparquet sees it: <c>columns</c> (name, type, repetition, logical) and <c>rows</c>.</summary>
    public static JsonDocument Read(byte[] parquet)
    {
        if (!Directory.Exists(Path.Combine(Tools, "node_modules", "hyparquet")))
        {
            throw new InvalidOperationException($"hyparquet is missing under {Tools}: run `npm ci --prefix tests/tools` (scripts/test.sh does).");
        }

        var path = Path.Combine(Path.GetTempPath(), $"mselab-api-{Guid.NewGuid():N}.parquet");
        File.WriteAllBytes(path, parquet);
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(Tools, "parquet-read.mjs"), path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stdout = node.StandardOutput.ReadToEnd();
            node.WaitForExit();
            return node.ExitCode == 0
                ? JsonDocument.Parse(stdout)
                : throw new InvalidOperationException($"parquet-read.mjs {path} failed ({node.ExitCode}): {stderr.Result}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The column of that name.</summary>
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
