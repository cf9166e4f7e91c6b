namespace MseLab.Store.Paper;

/// <summary>One metric of a group beside the published value; every number is a fraction, as stored.</summary>
/// <param name="Key">The metric key (<c>has0_acc2</c>).</param>
/// <param name="Mean">Our mean over the group's finished cells with a finite value; null when there is none.</param>
/// <param name="Std">Our sample standard deviation (n - 1); null when fewer than two values.</param>
/// <param name="N">How many values the mean has.</param>
/// <param name="Published">The reference row's value; null when none is published.</param>
/// <param name="Difference">Ours minus published; null unless both exist.</param>
public sealed record MetricComparison(string Key, double? Mean, double? Std, int N, double? Published, double? Difference);
