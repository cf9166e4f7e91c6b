using System.Collections.ObjectModel;

namespace MseLab.Experiments.Metrics;

/// <summary>Builds the read-only, insertion-ordered dictionaries that <see cref="TaskMetrics.Compute"/> returns.</summary>
internal static class OrderedMetrics
{
    public static IReadOnlyDictionary<string, double> Of(params ReadOnlySpan<(string Key, double Value)> pairs)
    {
        var ordered = new OrderedDictionary<string, double>(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            ordered.Add(key, value);
        }

        // ReadOnlyDictionary enumerates its inner dictionary, so the key order survives.
        return new ReadOnlyDictionary<string, double>(ordered);
    }
}
