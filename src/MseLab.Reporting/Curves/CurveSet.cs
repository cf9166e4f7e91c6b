namespace MseLab.Reporting.Curves;

/// <summary>Learning curves of one metric: one mean ± std band per group (<c>mselab plot curves</c>, <c>GET /api/results/curves</c>).</summary>
/// <param name="Metric">The metric plotted: <c>train_loss</c>, <c>lr</c> or <c>valid.NAME</c>.</param>
/// <param name="AxisTitle">A readable name of the metric for an axis (<c>validation mae</c>).</param>
/// <param name="Groups">The groups with at least one point, ordered by their group-by values.</param>
public sealed record CurveSet(string Metric, string AxisTitle, IReadOnlyList<CurveGroup> Groups);

/// <summary>One group's curve.</summary>
/// <param name="Fields">The group-by fields and their values (as in the leaderboard).</param>
/// <param name="Label">A short legend label: only the fields whose values differ between the groups.</param>
/// <param name="Points">Per epoch: mean over the seeds that reached it, sample std (null under 2 seeds), and how many.</param>
public sealed record CurveGroup(IReadOnlyDictionary<string, string> Fields, string Label, IReadOnlyList<BandPoint> Points);
