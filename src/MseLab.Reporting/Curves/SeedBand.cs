using MseLab.Store;

namespace MseLab.Reporting.Curves;

/// <summary>One epoch of a seed group's curve: the mean over the seeds that reached it, the sample std (null under 2), and how many.</summary>
public sealed record BandPoint(int Epoch, double Mean, double? Std, int N);

/// <summary>The mean ± std band of a seed group's learning curves, epoch by epoch.</summary>
public static class SeedBand
{
    /// <summary>
    /// Per epoch, mean and sample std (n - 1) of the finite values of the seeds that have that epoch (a seed stopped early
    /// by early_stop simply stops contributing); epochs without a finite value are left out.
    /// </summary>
    public static IReadOnlyList<BandPoint> Of(IEnumerable<IReadOnlyList<(int Epoch, double Value)>> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        return seeds
            .SelectMany(s => s)
            .Where(p => double.IsFinite(p.Value))
            .GroupBy(p => p.Epoch)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var values = g.Select(p => p.Value).ToList();
                var summary = Leaderboard.Summarise(values);   // the leaderboard's mean and sample std, one definition
                return new BandPoint(g.Key, summary.Mean, summary.Std, values.Count);
            })
            .ToList();
    }
}
