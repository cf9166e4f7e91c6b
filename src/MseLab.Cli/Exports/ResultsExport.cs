using MseLab.Reporting.Exports;
using MseLab.Store;
using MseLab.Store.Queries;
using MseLab.Store.Records;
using Spectre.Console;

namespace MseLab.Cli.Exports;

/// <summary>
/// The export side of <c>mselab results</c>: <c>--epochs</c> (one row per cell x epoch) in every format, and
/// <c>--out FILE</c> / <c>--format parquet</c> for the leaderboard and the epochs.
/// </summary>
internal static class ResultsExport
{
    /// <summary>Whether the leaderboard goes through this class rather than straight to the console.</summary>
    public static bool Handles(LeaderboardFormat format, string? outPath) => outPath is not null || format == LeaderboardFormat.Parquet;

    /// <summary>Checks the option combination before the store is opened; the message names the fix.</summary>
    public static void Validate(LeaderboardFormat format, string? outPath, bool epochs, string? groupBy, string? compare)
    {
        if (format == LeaderboardFormat.Parquet && outPath is null)
        {
            throw new ArgumentException("--format parquet writes a binary file: add --out FILE (for example --out results.parquet).");
        }

        if (format == LeaderboardFormat.Table && outPath is not null)
        {
            throw new ArgumentException($"--out {outPath}: a table is for the terminal; add --format csv, json or parquet.");
        }

        if (epochs && (groupBy is not null || compare is not null))
        {
            throw new ArgumentException("--epochs lists every stored epoch of every cell; it takes no --group-by or --compare (drop them, or drop --epochs).");
        }

        if (compare is not null && outPath is not null)
        {
            throw new ArgumentException("--compare prints to the terminal only; drop --out (or --compare).");
        }
    }

    /// <summary>Every stored epoch of the sweep (or of all sweeps), one store query.</summary>
    public static async Task WriteEpochsAsync(ResultQueries queries, string? sweep, FilterNode? where, LeaderboardFormat format, string? outPath, CancellationToken cancellationToken)
    {
        var rows = await queries.EpochRowsAsync(sweep, where, cancellationToken);
        if (sweep is not null && rows.Count == 0 && !await queries.SweepExistsAsync(sweep, cancellationToken))
        {
            throw new KeyNotFoundException($"No sweep named '{sweep}' in the results store at {queries.Location}. `mselab sweep status` lists them.");
        }

        await WriteAsync(EpochTable.Build(rows), format, outPath, cancellationToken);
    }

    /// <summary>The leaderboard into <paramref name="outPath"/>: CSV and JSON exactly as printed, or Parquet with typed columns.</summary>
    public static async Task WriteLeaderboardAsync(IReadOnlyList<LeaderboardGroup> groups, LeaderboardFormat format, string? outPath, CancellationToken cancellationToken)
    {
        if (outPath is null)
        {
            LeaderboardView.Write(groups, format);
            return;
        }

        await WriteFileAsync(outPath, s => ResultFiles.WriteLeaderboardAsync(groups, FileFormat(format, outPath), s, cancellationToken));
    }

    private static async Task WriteAsync(ExportTable table, LeaderboardFormat format, string? outPath, CancellationToken cancellationToken)
    {
        if (outPath is not null)
        {
            await WriteFileAsync(outPath, s => ResultFiles.WriteAsync(table, FileFormat(format, outPath), s, cancellationToken));
            return;
        }

        switch (format)
        {
            case LeaderboardFormat.Csv:
                await Console.Out.WriteAsync(TextExport.Csv(table));
                break;
            case LeaderboardFormat.Json:
                await Console.Out.WriteAsync(TextExport.Json(table) + Environment.NewLine);
                break;
            default:
                AnsiConsole.Write(ConsoleExport.Table(table));
                break;
        }
    }

    /// <summary>The file format of <c>--format</c> with <c>--out</c> (<see cref="Validate"/> has ruled out a table).</summary>
    private static ExportFormat FileFormat(LeaderboardFormat format, string outPath) => format switch
    {
        LeaderboardFormat.Csv => ExportFormat.Csv,
        LeaderboardFormat.Json => ExportFormat.Json,
        LeaderboardFormat.Parquet => ExportFormat.Parquet,
        _ => throw new ArgumentException($"--out {outPath}: a table is for the terminal; add --format csv, json or parquet."),
    };

    /// <summary>Writes the file through the shared writers (the API's downloads send the same bytes) and says where it went.</summary>
    private static async Task WriteFileAsync(string path, Func<Stream, Task> write)
    {
        await using (var file = File.Create(path))
        {
            await write(file);
        }

        await Console.Error.WriteLineAsync($"Wrote {Path.GetFullPath(path)}.");
    }
}
