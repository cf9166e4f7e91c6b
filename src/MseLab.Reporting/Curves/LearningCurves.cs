using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Reporting.Curves;

/// <summary>
/// Groups cells as the leaderboard does and turns each group's stored epochs into a mean ± std band over its seeds.
/// Pure: the caller reads the cells and epochs (<see cref="ResultQueries.TrialsAsync"/>, <see cref="ResultQueries.EpochRowsAsync"/>).
/// </summary>
public static class LearningCurves
{
    /// <summary>
    /// The curves of <paramref name="metric"/> (null: the task's selection metric on validation, else train_loss; see
    /// <see cref="EpochMetric.Resolve"/>). Groups whose cells have no value of the metric are left out.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown metric or group-by field; the message lists the valid ones.</exception>
    public static CurveSet Build(IReadOnlyList<TrialRow> trials, IReadOnlyList<EpochRow> epochs, IReadOnlyList<string>? groupBy, string? metric)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(epochs);
        var resolved = EpochMetric.Resolve(metric, epochs);
        // Keyed by sweep and key: without --sweep, two sweeps may hold a cell of the same key.
        var byCell = epochs.ToLookup(e => (e.SweepId, e.Key));
        var curves = Leaderboard.Group(trials, groupBy)
            .OrderBy(g => string.Join("\n", g.Fields.Values), StringComparer.Ordinal)
            .Select(g => (g.Fields, Band: SeedBand.Of(g.Trials.Select(t => Points(byCell[(t.SweepId, t.Key)], resolved)))))
            .Where(c => c.Band.Count > 0)
            .ToList();
        var labels = GroupLabels.Of(curves.Select(c => c.Fields).ToList());
        return new CurveSet(resolved.Name, resolved.AxisTitle, curves.Select((c, i) => new CurveGroup(c.Fields, labels[i], c.Band)).ToList());
    }

    private static List<(int Epoch, double Value)> Points(IEnumerable<EpochRow> epochs, EpochMetric metric) =>
        epochs.Select(e => (e.Epoch, Value: metric.Read(e))).Where(p => p.Value is not null).Select(p => (p.Epoch, p.Value!.Value)).ToList();
}
