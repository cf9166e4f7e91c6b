using System.Globalization;
using System.Text;
using System.Text.Json;
using MseLab.Experiments.Paper;
using MseLab.Store.Paper;
using Spectre.Console;

namespace MseLab.Cli;

/// <summary>
/// Renders <c>mselab results --compare paper</c> as a table, CSV or JSON. Every number is x100 (percent; MAE x100 too), the
/// scale the authors' logs print, so that the published column reads as in the logs; the store keeps fractions.
/// </summary>
internal static class PaperComparisonView
{
    /// <summary>The published values are x100 fractions; ours are shown on the same scale.</summary>
    public const double Scale = 100;

    public const string Units = "x100: percent, MAE x100 too, as the authors' logs print them";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(PaperComparisonReport report, LeaderboardFormat format, TextWriter output, IAnsiConsole console)
    {
        switch (format)
        {
            case LeaderboardFormat.Table:
                WriteTable(report, console);
                break;
            case LeaderboardFormat.Csv:
                output.Write(Csv(report));
                break;
            case LeaderboardFormat.Json:
                output.WriteLine(JsonText(report));
                break;
        }
    }

    public static string StatusText(ComparisonStatus status) => status switch
    {
        ComparisonStatus.Compared => "compared",
        ComparisonStatus.NotPublished => "not published in the logs",
        ComparisonStatus.NotInPaper => "not in the paper",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a defined ComparisonStatus value."),
    };

    private static void WriteTable(PaperComparisonReport report, IAnsiConsole console)
    {
        if (report.Groups.Count == 0)
        {
            console.WriteLine("No results on the paper's datasets to compare.");
        }
        else
        {
            console.Write(Table(report));
            foreach (var group in report.Groups.Where(g => g.Notes.Count > 0))
            {
                console.WriteLine($"{Label(group.Fields)}: differs from the logged runs: {string.Join("; ", group.Notes)}.");
            }

            foreach (var reference in report.Groups.Select(g => g.Reference).OfType<PublishedResult>().DistinctBy(r => r.Id))
            {
                console.WriteLine($"published {reference.Id}: {reference.Source.Repository} {reference.Source.Path}, {reference.Source.Batch}, mean of {reference.Seeds} seeds.");
            }
        }

        foreach (var excluded in report.Excluded)
        {
            console.WriteLine($"left out: {Label(excluded.Fields)} ({excluded.N} finished): {excluded.Reason}.");
        }

        console.WriteLine($"Values {Units}. Other logged batches and third-party reproductions: --format json.");
    }

    private static Table Table(PaperComparisonReport report)
    {
        var fields = report.Groups[0].Fields.Keys.ToList();
        var table = new Table().Border(TableBorder.Simple);
        foreach (var field in fields)
        {
            table.AddColumn(field);
        }

        table.AddColumn(new TableColumn("n").RightAligned());
        table.AddColumn("metric");
        table.AddColumn(new TableColumn("ours (mean ± std)").RightAligned());
        table.AddColumn(new TableColumn("published").RightAligned());
        table.AddColumn(new TableColumn("diff").RightAligned());
        foreach (var group in report.Groups)
        {
            if (!ReferenceEquals(group, report.Groups[0]))
            {
                table.AddEmptyRow();
            }

            var first = true;
            foreach (var metric in group.Metrics)
            {
                var labels = first ? fields.Select(f => Markup.Escape(group.Fields[f])).Append($"{group.N}/{group.Planned}") : fields.Select(_ => "").Append("");
                var published = metric.Published is { } p ? Number(p) : Markup.Escape(group.Status == ComparisonStatus.Compared ? "-" : StatusText(group.Status));
                table.AddRow([.. labels, metric.Key, Ours(metric), published, metric.Difference is { } d ? Signed(d) : "-"]);
                first = false;
            }

            if (group.Metrics.Count == 0)
            {
                table.AddRow([.. fields.Select(f => Markup.Escape(group.Fields[f])), $"{group.N}/{group.Planned}", "-", "-", Markup.Escape(StatusText(group.Status)), "-"]);
            }
        }

        return table;
    }

    private static string Csv(PaperComparisonReport report)
    {
        var fields = report.Groups.Select(g => g.Fields).Concat(report.Excluded.Select(e => e.Fields)).FirstOrDefault()?.Keys.ToList() ?? [];
        var text = new StringBuilder();
        string[] columns = ["n", "planned", "status", "metric", "ours_mean_x100", "ours_std_x100", "ours_n", "published_x100", "diff_x100", "published_id", "published_source", "notes"];
        text.AppendLine(string.Join(",", fields.Concat(columns).Select(Quote)));
        foreach (var group in report.Groups)
        {
            var source = group.Reference is { } r ? $"{r.Source.Repository} {r.Source.Path} ({r.Source.Batch})" : "";
            foreach (var metric in group.Metrics)
            {
                IEnumerable<string> values =
                [
                    .. fields.Select(f => group.Fields[f]), Int(group.N), Int(group.Planned), StatusText(group.Status), metric.Key,
                    Raw(metric.Mean), Raw(metric.Std), Int(metric.N), Raw(metric.Published), Raw(metric.Difference),
                    group.Reference?.Id ?? "", source, string.Join("; ", group.Notes),
                ];
                text.AppendLine(string.Join(",", values.Select(Quote)));
            }
        }

        foreach (var excluded in report.Excluded)
        {
            IEnumerable<string> values =
                [.. fields.Select(f => excluded.Fields[f]), Int(excluded.N), Int(excluded.Planned), "excluded", "", "", "", "", "", "", "", "", excluded.Reason];
            text.AppendLine(string.Join(",", values.Select(Quote)));
        }

        return text.ToString();
    }

    private static string JsonText(PaperComparisonReport report)
    {
        var groups = report.Groups.Select(g =>
        {
            var entry = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (field, value) in g.Fields)
            {
                entry[field] = value;
            }

            entry["n"] = g.N;
            entry["planned"] = g.Planned;
            entry["status"] = StatusText(g.Status);
            entry["published"] = g.Reference is { } r ? Published(r, withMetrics: false) : null;
            entry["metrics"] = g.Metrics.ToDictionary(
                m => m.Key,
                m => new Dictionary<string, object?>
                {
                    ["ours_mean"] = Scaled(m.Mean), ["ours_std"] = Scaled(m.Std), ["ours_n"] = m.N, ["published"] = Scaled(m.Published), ["diff"] = Scaled(m.Difference),
                },
                StringComparer.Ordinal);
            entry["notes"] = g.Notes;
            entry["other_published"] = g.OtherPublished.Select(o => Published(o, withMetrics: true)).ToList();
            return entry;
        }).ToList();
        var excluded = report.Excluded.Select(e =>
        {
            var entry = new Dictionary<string, object?>(e.Fields.ToDictionary(f => f.Key, f => (object?)f.Value), StringComparer.Ordinal)
            {
                ["n"] = e.N, ["planned"] = e.Planned, ["reason"] = e.Reason,
            };
            return entry;
        }).ToList();
        return JsonSerializer.Serialize(new Dictionary<string, object?> { ["scale"] = Scale, ["units"] = Units, ["groups"] = groups, ["excluded"] = excluded }, Json);
    }

    private static Dictionary<string, object?> Published(PublishedResult row, bool withMetrics)
    {
        var entry = new Dictionary<string, object?>
        {
            ["id"] = row.Id,
            ["kind"] = row.Kind == PublishedResultKind.Logged ? "logged" : "reproduction",
            ["seeds"] = row.Seeds,
            ["repository"] = row.Source.Repository,
            ["path"] = row.Source.Path,
            ["batch"] = row.Source.Batch,
            ["config"] = row.Source.Config,
        };
        if (row.Why is { } why)
        {
            entry["why"] = why;
        }

        if (withMetrics)
        {
            entry["metrics"] = row.Metrics.ToDictionary(m => m.Key, m => Scaled(m.Value), StringComparer.Ordinal);
        }

        return entry;
    }

    // x100, rounded off the binary noise of the scaling (86.91 stays 86.91, not 86.91000000000001).
    private static double? Scaled(double? fraction) => fraction is { } f ? Math.Round(f * Scale, 10) : null;

    private static string Raw(double? fraction) => Scaled(fraction) is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double fraction) => (fraction * Scale).ToString("F2", CultureInfo.InvariantCulture);

    private static string Signed(double fraction) => (fraction * Scale).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    private static string Ours(MetricComparison metric) => metric.Mean switch
    {
        null => "-",
        { } mean when metric.Std is { } std => $"{Number(mean)} ± {Number(std)}",
        { } mean => Number(mean),
    };

    private static string Label(IReadOnlyDictionary<string, string> fields) => string.Join(" / ", fields.Values);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
