using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace MseLab.Cli.Commands.Bench;

/// <summary>What <c>mselab bench failover</c> measured.</summary>
/// <param name="Hosts">Lab hosts, one worker each.</param>
/// <param name="KillRequeueSeconds">Per SIGKILL: seconds until the cell ran on another host.</param>
/// <param name="PartitionRequeueSeconds">Per cut link: seconds until the cell ran on another host.</param>
/// <param name="Lost">Cells that did not end Succeeded.</param>
/// <param name="Duplicates">Cells with more than one succeeded attempt, or whose result came from an attempt that had lost its lease.</param>
/// <param name="Faults">Faults asked for (kills + partitions); a fault after which the cell never ran elsewhere has no figure.</param>
/// <param name="ReplacedAfterCut">Workers replaced after a heal because they had exited or not rejoined (the cluster declared them dead while cut).</param>
/// <param name="TrialSeconds">How long each trial slept.</param>
internal sealed record FailoverFigures(
    int Hosts, IReadOnlyList<double> KillRequeueSeconds, IReadOnlyList<double> PartitionRequeueSeconds, int Lost, int Duplicates, int Faults, int ReplacedAfterCut, double TrialSeconds)
{
    /// <summary>The requeue every fault should beat with the default lease (the issue's aim).</summary>
    public const double AimSeconds = 10;

    /// <summary>Nothing lost or duplicated, and every fault has its figure.</summary>
    public bool Passed => Lost == 0 && Duplicates == 0 && KillRequeueSeconds.Count + PartitionRequeueSeconds.Count == Faults;

    /// <summary>The <c>--json</c> object: the issue's five keys first, then the detail.</summary>
    public Dictionary<string, object> Json() => new()
    {
        ["hosts"] = Hosts,
        ["kill_requeue_s"] = KillRequeueSeconds.Select(Round).ToList(),
        ["partition_requeue_s"] = PartitionRequeueSeconds.Select(Round).ToList(),
        ["lost"] = Lost,
        ["duplicates"] = Duplicates,
        ["faults"] = Faults,
        ["max_requeue_s"] = Round(KillRequeueSeconds.Concat(PartitionRequeueSeconds).DefaultIfEmpty(0).Max()),
        ["aim_s"] = AimSeconds,
        ["replaced_after_cut"] = ReplacedAfterCut,
        ["trial_seconds"] = TrialSeconds,
    };

    /// <summary>Writes a table, or the JSON object alone on stdout.</summary>
    public void Write(bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(Json()));
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, FormattableString value) => table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
        Row("hosts (one worker each)", $"{Hosts}");
        Row($"SIGKILL to running on another host, s (aim <= {AimSeconds:0})", $"{Distribution(KillRequeueSeconds)}");
        Row($"link cut to running on another host, s (aim <= {AimSeconds:0})", $"{Distribution(PartitionRequeueSeconds)}");
        Row("workers replaced after a heal (declared dead while cut)", $"{ReplacedAfterCut}");
        Row("cells lost", $"{Lost}");
        Row("cells duplicated", $"{Duplicates}");
        AnsiConsole.Write(table);
    }

    private static double Round(double seconds) => Math.Round(seconds, 2);

    private static string Distribution(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return "none";
        }

        var sorted = seconds.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"n={sorted.Count} min {sorted[0]:F1} median {sorted[sorted.Count / 2]:F1} max {sorted[^1]:F1} ({string.Join(' ', seconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))})");
    }
}
