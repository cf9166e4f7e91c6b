using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Trials;

namespace MseLab.Store.Database;

/// <summary>The seed groups that completed a rung, with their means, from a sweep's cells and stored epoch values.</summary>
internal static class RungGroups
{
    /// <summary>
    /// Every group each of whose live seeds has an epoch at <paramref name="rung"/>. A seed is live at the rung unless it
    /// failed, was cancelled, or finished (its own early stop) before it. <paramref name="arriving"/> (the cell recording the
    /// rung now, still Running) counts as paused there.
    /// </summary>
    public static Dictionary<string, SeedGroupRung> Build(
        EarlyStoppingRule rule, IReadOnlyList<RungCell> cells, IReadOnlyDictionary<(string Key, int Epoch), double> values, int rung, string arriving)
    {
        var result = new Dictionary<string, SeedGroupRung>(StringComparer.Ordinal);
        foreach (var group in cells.GroupBy(c => c.Group, StringComparer.Ordinal))
        {
            var live = group.Where(c => IsLive(c, rung)).ToList();
            if (live.Count == 0 || live.Any(c => !values.ContainsKey((c.Key, rung))))
            {
                continue;
            }

            var mean = live.Average(c => values[(c.Key, rung)]);
            var best = mean;
            for (var epoch = 1; epoch < rung; epoch++)
            {
                if (live.All(c => values.ContainsKey((c.Key, epoch))))
                {
                    var m = live.Average(c => values[(c.Key, epoch)]);
                    best = rule.LowerIsBetter ? Math.Min(best, m) : Math.Max(best, m);
                }
            }

            var paused = live.All(c => c.Key == arriving || (c.Status == TrialStatus.Pruned && c.Epoch == rung));
            result[group.Key] = new SeedGroupRung(group.Key, mean, best, paused);
        }

        return result;
    }

    /// <summary>How many live seeds of <paramref name="group"/> reached <paramref name="rung"/>, and how many are live.</summary>
    public static (int Reached, int Live) Progress(IReadOnlyList<RungCell> cells, IReadOnlyDictionary<(string Key, int Epoch), double> values, string group, int rung)
    {
        var live = cells.Where(c => c.Group == group && IsLive(c, rung)).ToList();
        return (live.Count(c => values.ContainsKey((c.Key, rung))), live.Count);
    }

    private static bool IsLive(RungCell cell, int rung) =>
        cell.Status is not (TrialStatus.Failed or TrialStatus.Cancelled) && !(cell.Status == TrialStatus.Succeeded && cell.Epoch < rung);
}
