using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Paper;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Store.Paper;

/// <summary>
/// Our results beside the published ones (<see cref="PublishedResults"/>): per backbone family x dataset name (plus any
/// further group-by fields) our mean ± std over the finished cells, the reference published value and the difference,
/// for each metric the authors' logs report. Synthetic data is left out: it imitates a dataset's shapes, not its
/// content, so no number on it says anything about the paper.
/// </summary>
public static class PaperComparison
{
    /// <summary>The fields every comparison groups by.</summary>
    public static readonly IReadOnlyList<string> DefaultGroupBy = ["family", "dataset_name"];

    /// <summary>The seeds of the authors' runs (official <c>run.py</c>), whose mean the logs report.</summary>
    public static readonly IReadOnlyList<int> PaperSeeds = [1111, 2222, 3333, 4444, 5555];

    /// <summary>
    /// Compares <paramref name="trials"/> with the published results. <paramref name="groupBy"/> adds fields to
    /// <see cref="DefaultGroupBy"/> (which are always included); unknown fields throw as in <see cref="Leaderboard.Build"/>.
    /// </summary>
    public static PaperComparisonReport Build(IReadOnlyList<TrialRow> trials, IReadOnlyList<string>? groupBy)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var fields = DefaultGroupBy.Concat((groupBy ?? []).Where(f => !DefaultGroupBy.Contains(f, StringComparer.OrdinalIgnoreCase))).ToList();
        var groups = new List<(int Family, int Dataset, string Others, PaperComparisonGroup Group)>();
        var excluded = new List<ExcludedGroup>();
        foreach (var group in Leaderboard.Group(trials, fields))
        {
            var done = group.Trials.Count(t => t.Status == TrialStatus.Succeeded);
            var datasetName = group.Fields["dataset_name"];
            if (DatasetNames.IsSynthetic(datasetName))
            {
                excluded.Add(new ExcludedGroup(group.Fields, done, group.Trials.Count,
                    $"{datasetName} is synthetic data in the dataset's shapes, not the dataset: not comparable with the paper"));
                continue;
            }

            var compared = Compare(group);
            var familyOrder = BackboneFamilies.TryParsePaperName(group.Fields["family"], out var f) ? (int)f : int.MaxValue;
            var datasetOrder = PaperDatasets.TryParse(datasetName, out var d) ? (int)d : int.MaxValue;
            groups.Add((familyOrder, datasetOrder, string.Join("\n", group.Fields.Values), compared));
        }

        return new PaperComparisonReport(
            [.. groups.OrderBy(g => g.Family).ThenBy(g => g.Dataset).ThenBy(g => g.Others, StringComparer.Ordinal).Select(g => g.Group)],
            [.. excluded.OrderBy(e => string.Join("\n", e.Fields.Values), StringComparer.Ordinal)]);
    }

    private static PaperComparisonGroup Compare(TrialGroup group)
    {
        var done = group.Trials.Where(t => t.Status == TrialStatus.Succeeded).ToList();
        var knownFamily = BackboneFamilies.TryParsePaperName(group.Fields["family"], out var family);
        var inPaper = PaperDatasets.TryParse(group.Fields["dataset_name"], out var dataset) && PaperDatasets.Info(dataset).InPaper;
        var reference = knownFamily && inPaper ? PublishedResults.Reference(family, dataset) : null;
        var status = reference is not null ? ComparisonStatus.Compared
            : knownFamily && inPaper ? ComparisonStatus.NotPublished
            : ComparisonStatus.NotInPaper;

        var keys = MetricsToShow(reference, status, dataset, done);
        var metrics = keys.Select(key =>
        {
            var summary = Leaderboard.Summarise([.. done.Where(t => t.Test.ContainsKey(key)).Select(t => t.Test[key])]);
            var n = done.Count(t => t.Test.TryGetValue(key, out var v) && double.IsFinite(v));
            double? mean = n > 0 ? summary.Mean : null;
            double? published = reference is not null && reference.Metrics.TryGetValue(key, out var p) ? p : null;
            return new MetricComparison(key, mean, summary.Std, n, published, mean - published);
        }).ToList();

        var notes = knownFamily && inPaper ? Notes(group.Trials, family, dataset) : [];
        var others = knownFamily && inPaper ? PublishedResults.For(family, dataset).Where(r => r != reference).ToList() : [];
        return new PaperComparisonGroup(group.Fields, done.Count, group.Trials.Count, status, reference, metrics, notes, others);
    }

    // What the logs report: the reference's metrics; for a family without logs, what the logs report on that dataset for
    // the other families; outside the paper, every metric of the task.
    private static IReadOnlyList<string> MetricsToShow(PublishedResult? reference, ComparisonStatus status, PaperDataset dataset, List<TrialRow> done)
    {
        if (reference is not null)
        {
            return [.. reference.Metrics.Keys];
        }

        if (status == ComparisonStatus.NotPublished)
        {
            var logged = PublishedResults.All.Where(r => r.Kind == PublishedResultKind.Logged && r.Dataset == dataset).SelectMany(r => r.Metrics.Keys).ToHashSet(StringComparer.Ordinal);
            return [.. MetricKeys.For(PaperDatasets.Info(dataset).Metrics).Where(logged.Contains)];
        }

        return [.. done.SelectMany(t => t.Test.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static List<string> Notes(IReadOnlyList<TrialRow> trials, BackboneFamily family, PaperDataset dataset)
    {
        var notes = new List<string>();
        var configurations = trials.Select(t => t.SeedGroup).Distinct(StringComparer.Ordinal).Count();
        if (configurations > 1)
        {
            notes.Add($"{configurations} configurations in one group (the mean is over all of them); add the fields that differ to --group-by to split them");
        }

        notes.AddRange(trials.SelectMany(t => PaperConfigCheck.Differences(t.ResolvedConfig, family, dataset)).Distinct(StringComparer.Ordinal));
        var presets = trials.Select(t => t.Backbone).Where(b => PresetBackbone.TryGet(b, out _)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (presets.Count > 0)
        {
            notes.Add($"backbone {string.Join(", ", presets)}: a small preset model, not the paper's {BackboneFamilies.PaperName(family)}");
        }

        var seeds = trials.Select(t => t.Seed).Distinct().Order().ToList();
        if (!seeds.SequenceEqual(PaperSeeds))
        {
            notes.Add($"seeds {string.Join(", ", seeds)} (the logs: {string.Join(", ", PaperSeeds)})");
        }

        return notes;
    }
}
