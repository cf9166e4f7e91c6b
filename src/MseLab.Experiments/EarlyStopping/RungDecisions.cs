namespace MseLab.Experiments.EarlyStopping;

/// <summary>
/// The rules, as pure functions of the groups at one rung: which paused groups go on. The store calls it whenever a seed
/// group completes a rung, with every group that completed it so far.
/// </summary>
public static class RungDecisions
{
    /// <summary>
    /// The paused groups of <paramref name="rung"/> that go on now (to be resumed from their checkpoints); the others stay
    /// stopped. ASHA: the best ⌊n/η⌋ of the n groups (at least the best one, Optuna's rule while n &lt; η), so a group that
    /// was stopped early on is promoted when enough worse groups arrive. Median: only <paramref name="arriving"/> is
    /// decided (it goes on unless its best mean is worse than the median of the others' means; with fewer than
    /// <see cref="EarlyStoppingRule.MedianMinimumOthers"/> others it goes on); groups it stopped stay stopped.
    /// </summary>
    public static IReadOnlyList<string> Promote(EarlyStoppingRule rule, IReadOnlyList<SeedGroupRung> rung, string arriving)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(rung);
        return rule.Method switch
        {
            EarlyStoppingMethod.Asha => Asha(rule, rung),
            EarlyStoppingMethod.Median => Median(rule, rung, arriving),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Method, "Not a defined EarlyStoppingMethod value."),
        };
    }

    /// <summary>How many of <paramref name="groups"/> groups at a rung go on under ASHA: ⌊n/η⌋, at least one.</summary>
    public static int AshaKeep(int groups, int reductionFactor) => Math.Max(1, groups / reductionFactor);

    private static List<string> Asha(EarlyStoppingRule rule, IReadOnlyList<SeedGroupRung> rung)
    {
        var keep = AshaKeep(rung.Count, rule.ReductionFactor);
        // Ties keep the earlier name: decisions do not depend on the order rows came from the store.
        var best = (rule.LowerIsBetter ? rung.OrderBy(g => g.Mean) : rung.OrderByDescending(g => g.Mean))
            .ThenBy(g => g.Group, StringComparer.Ordinal)
            .Take(keep);
        return best.Where(g => g.Paused).Select(g => g.Group).ToList();
    }

    private static List<string> Median(EarlyStoppingRule rule, IReadOnlyList<SeedGroupRung> rung, string arriving)
    {
        var self = rung.FirstOrDefault(g => g.Group == arriving);
        if (self is null || !self.Paused)
        {
            return [];
        }

        var others = rung.Where(g => g.Group != arriving).Select(g => g.Mean).ToList();
        if (others.Count < EarlyStoppingRule.MedianMinimumOthers)
        {
            return [arriving];
        }

        var median = MedianOf(others);
        var worse = rule.LowerIsBetter ? self.BestMean > median : self.BestMean < median;
        return worse ? [] : [arriving];
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    public static double MedianOf(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
