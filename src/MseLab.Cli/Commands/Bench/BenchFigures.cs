using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace MseLab.Cli.Commands.Bench;

/// <summary>What a dispatch benchmark measured.</summary>
internal sealed record BenchFigures
{
    public required string Mode { get; init; }

    public required int Trials { get; init; }

    public required int Succeeded { get; init; }

    public required int Devices { get; init; }

    public int WorkerProcesses { get; init; }

    public required double SubmitSeconds { get; init; }

    public required double TotalSeconds { get; init; }

    /// <summary>CPU of this process per trial (embedded: everything but the SQLite file; cluster: the client only).</summary>
    public double? CpuMsPerTrial { get; init; }

    public double? AllocatedKiBPerTrial { get; init; }

    public string? Collections { get; init; }

    public IReadOnlyList<double> KillRequeueSeconds { get; init; } = [];

    /// <summary>Optuna's figures from the same run, when compared.</summary>
    public OptunaFigures? Optuna { get; init; }

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonPropertyName("trials_per_s")]
    public double TrialsPerSecond => Trials / TotalSeconds;

    /// <summary>How many times Optuna's trials per second this is (null without the comparison).</summary>
    [JsonPropertyName("times_optuna")]
    public double? TimesOptuna => Optuna is { TrialsPerSecond: > 0 } o ? TrialsPerSecond / o.TrialsPerSecond : null;

    /// <summary>Writes a table, or one JSON object with snake_case names.</summary>
    public static void Write(BenchFigures figures, bool json)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(figures, SnakeCase));
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, FormattableString value) => table.AddRow(name, value.ToString(CultureInfo.InvariantCulture));
        Row("trials succeeded", $"{figures.Succeeded} of {figures.Trials}");
        if (figures.WorkerProcesses > 0)
        {
            Row("worker processes x devices", $"{figures.WorkerProcesses} x {figures.Devices}");
        }
        else
        {
            Row("devices", $"{figures.Devices}");
        }
        Row("submit (expand, store, queue) s", $"{figures.SubmitSeconds:F2}");
        Row("total s", $"{figures.TotalSeconds:F2}");
        Row("trials/s", $"{figures.TrialsPerSecond:F0}");
        if (figures.CpuMsPerTrial is { } cpu)
        {
            Row(figures.WorkerProcesses > 0 ? "client CPU ms per trial" : "orchestrator CPU ms per trial", $"{cpu:F3}");
        }

        Row("wall ms per trial", $"{figures.TotalSeconds * 1000 / figures.Trials:F3}");
        if (figures.AllocatedKiBPerTrial is { } allocated)
        {
            Row("allocated KiB per trial", $"{allocated:F1}");
        }

        if (figures.Collections is { } gcs)
        {
            Row("GCs gen0/gen1/gen2", $"{gcs}");
        }

        if (figures.KillRequeueSeconds.Count > 0)
        {
            var sorted = figures.KillRequeueSeconds.Order().ToList();
            Row("SIGKILL to running again, s (aim <= 10)", $"n={sorted.Count} min {sorted[0]:F1} median {sorted[sorted.Count / 2]:F1} max {sorted[^1]:F1}");
            Row("  each kill, s", $"{string.Join(' ', figures.KillRequeueSeconds.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))}");
        }

        if (figures.Optuna is { } optuna)
        {
            Row($"Optuna {optuna.Optuna} on {optuna.Storage}, {optuna.Workers} process(es): trials/s", $"{optuna.TrialsPerSecond:F0} ({optuna.Completed} trials)");
            Row("MseLab / Optuna", $"{figures.TimesOptuna:F1}x");
        }

        AnsiConsole.Write(table);
    }
}
