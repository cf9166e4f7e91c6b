using MseLab.Experiments.Sweeps;

namespace MseLab.Experiments.Planning;

/// <summary>The memory plan of a sweep: one <see cref="PlanRow"/> per distinct need, and the most any cell needs.</summary>
public sealed record SweepMemoryPlan(IReadOnlyList<PlanRow> Rows)
{
    /// <summary>The most memory any cell of the sweep needs, in GB (what submission asks a device for without <c>memory_gb</c>).</summary>
    public double PeakGb => Rows.Count == 0 ? 0 : Rows.Max(r => r.Estimate.PeakGb);

    /// <summary>
    /// Plans <paramref name="sweep"/>: expands its cells and estimates each distinct need on its device kind. Presets are
    /// read from <paramref name="modelsDirectory"/> once made (their default sizes before).
    /// </summary>
    /// <exception cref="FileNotFoundException">A backbone folder without config.json.</exception>
    /// <exception cref="InvalidDataException">A config.json without a size the estimate needs.</exception>
    public static SweepMemoryPlan For(SweepDefinition sweep, string modelsDirectory)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var shapes = sweep.Backbones.Distinct().ToDictionary(b => b, b => BackboneShapes.Of(b, modelsDirectory));
        var rows = SweepExpander.Expand(sweep)
            .Select(t => t.Resolved)
            .GroupBy(r => (r.Backbone, r.Dataset.Label, r.Precision, r.BatchSize, r.EvalBatchSize, r.PseudoTokens, r.TextLength, r.MaxNewTokens, r.AudioHidden, r.VideoHidden))
            .Select(g =>
            {
                var trial = g.First();
                var shape = shapes[trial.Backbone];
                return new PlanRow(trial.Backbone.Label, g.Key.Label, trial.Precision, trial.BatchSize, trial.EvalBatchSize,
                    MemoryEstimator.ContextLength(trial) + trial.MaxNewTokens, g.Count(), shape, MemoryEstimator.Estimate(trial, shape, sweep.DeviceKind));
            })
            .ToList();
        return new SweepMemoryPlan(rows);
    }
}
