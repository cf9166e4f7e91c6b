using MseLab.Experiments.Metrics;
using MseLab.Store.Records;

namespace MseLab.Reporting.Curves;

/// <summary>What a learning curve plots from each stored epoch: train_loss, lr, or a validation metric (<c>mae</c> or <c>valid.mae</c>).</summary>
public sealed record EpochMetric(string Name, string AxisTitle, Func<EpochRow, double?> Read)
{
    public const string TrainLoss = "train_loss";
    public const string LearningRate = "lr";
    public const string ValidPrefix = "valid.";

    /// <summary>
    /// The metric <paramref name="name"/> names, or by default the task's selection metric on validation (mae for the
    /// regression tasks, weighted_f1 for MELD/CHERMA) when the epochs have it, else train_loss. Unknown names throw, listing the valid ones.
    /// </summary>
    public static EpochMetric Resolve(string? name, IReadOnlyList<EpochRow> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var validation = epochs.SelectMany(e => e.Validation.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (name is null)
        {
            var selection = new[] { MetricKeys.Mae, MetricKeys.WeightedF1 }.FirstOrDefault(k => validation.Contains(k, StringComparer.Ordinal));
            return selection is null ? Train() : Validation(selection);
        }

        if (string.Equals(name, TrainLoss, StringComparison.OrdinalIgnoreCase))
        {
            return Train();
        }

        if (string.Equals(name, LearningRate, StringComparison.OrdinalIgnoreCase))
        {
            return new EpochMetric(LearningRate, "learning rate", e => e.EpochLearningRate);
        }

        var key = name.StartsWith(ValidPrefix, StringComparison.OrdinalIgnoreCase) ? name[ValidPrefix.Length..] : name;
        var known = validation.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        return known is not null
            ? Validation(known)
            : throw new ArgumentException(
                $"--metric {name}: no such epoch metric in this sweep. Valid: {TrainLoss}, {LearningRate}, {string.Join(", ", validation.Select(v => ValidPrefix + v))}.");
    }

    private static EpochMetric Train() => new(TrainLoss, "train loss", e => e.TrainLoss);

    private static EpochMetric Validation(string key) =>
        new(ValidPrefix + key, $"validation {key}", e => e.Validation.TryGetValue(key, out var v) ? v : null);
}
