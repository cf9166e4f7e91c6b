using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace MseLab.Cli.Commands.Bench;

/// <summary>What <c>mselab bench results</c> measured on one provider.</summary>
internal sealed record ResultsBenchFigures(
    string Provider, int Trials, long TestMetricRows, long EpochRows, double FillSeconds, IReadOnlyList<QueryFigures> Queries)
{
    /// <summary>The target of issue 14: every query's p95 at 100k trials.</summary>
    public const double TargetMs = 200;

    /// <summary>MLflow: over 15 minutes to search 30k runs with its SQL store (mlflow#2730).</summary>
    public const double MlflowMs = 15 * 60 * 1000;

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Whether every query's p95 is within the target.</summary>
    [JsonPropertyName("target_met")]
    public bool TargetMet => Queries.All(q => q.P95Ms <= TargetMs);

    /// <summary>Writes one table per provider, or one JSON array of the providers' figures.</summary>
    public static void Write(IReadOnlyList<ResultsBenchFigures> figures, bool json)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(figures, SnakeCase));
            return;
        }

        foreach (var f in figures)
        {
            AnsiConsole.MarkupLine(Invariant(
                $"[bold]{f.Provider}[/]: {f.Trials} trials, {f.TestMetricRows} test metrics, {f.EpochRows} epochs, filled in {f.FillSeconds:F1} s"));
            var table = new Table().Border(TableBorder.Simple).AddColumn("query").AddColumn(new TableColumn("rows").RightAligned())
                .AddColumn(new TableColumn("first ms").RightAligned()).AddColumn(new TableColumn("p50 ms").RightAligned()).AddColumn(new TableColumn("p95 ms").RightAligned()).AddColumn(new TableColumn("max ms").RightAligned())
                .AddColumn(new TableColumn($"p95 / {TargetMs:F0} ms").RightAligned()).AddColumn(new TableColumn("x faster than MLflow's 15 min").RightAligned());
            foreach (var q in f.Queries)
            {
                table.AddRow(
                    Markup.Escape(q.Query), Invariant($"{q.Rows}"), Invariant($"{q.FirstMs:F1}"), Invariant($"{q.P50Ms:F1}"), Invariant($"{q.P95Ms:F1}"), Invariant($"{q.MaxMs:F1}"),
                    Invariant($"{q.P95VsTarget:F2}") + (q.P95Ms <= TargetMs ? "" : " [red]missed[/]"), Invariant($"{q.TimesMlflow:F0}"));
            }

            AnsiConsole.Write(table);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One query's timings in milliseconds: its first run in the process (JIT-compiling the query's code), then percentiles
/// of the timed runs after the warm-up; and the rows it returned.
/// </summary>
internal sealed record QueryFigures(string Query, int Rows, double FirstMs, int Runs, double P50Ms, double P95Ms, double MaxMs)
{
    /// <summary>p95 over the 200 ms target (at most 1 meets it).</summary>
    [JsonPropertyName("p95_vs_target")]
    public double P95VsTarget => P95Ms / ResultsBenchFigures.TargetMs;

    /// <summary>How many times less than MLflow's 15 minutes for 30k runs the p95 is.</summary>
    [JsonPropertyName("times_mlflow")]
    public double TimesMlflow => ResultsBenchFigures.MlflowMs / P95Ms;

    /// <summary>Nearest-rank percentiles of <paramref name="milliseconds"/>.</summary>
    public static QueryFigures Of(string query, int rows, double firstMs, IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        var sorted = milliseconds.Order().ToArray();
        double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new QueryFigures(query, rows, firstMs, sorted.Length, Rank(0.5), Rank(0.95), sorted[^1]);
    }
}
