using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;

namespace MseLab.Experiments.Paper;

/// <summary>
/// One published test result of MSE-Adapter for a backbone on a dataset: a mean over <see cref="Seeds"/> seeds, with its
/// source. <see cref="Metrics"/> holds fractions under <see cref="Metrics.MetricKeys"/> names, as MseLab stores its own
/// results (the logs print x100; the file keeps their numbers and the loader divides).
/// </summary>
/// <param name="Id">A stable name for the row (<c>chatglm3-mosei-2025-02</c>).</param>
/// <param name="Kind">The authors' logs or a third-party reproduction.</param>
/// <param name="Family">The backbone family; the paper checkpoint is its <see cref="BackboneFamilies.PaperName"/>.</param>
/// <param name="Dataset">One of the paper's four datasets.</param>
/// <param name="Seeds">How many seeds the value averages (5 in the authors' logs).</param>
/// <param name="IsReference">The row <c>mselab results --compare paper</c> compares with (one per backbone x dataset with logs).</param>
/// <param name="Why">Why this row is the reference (null for the others).</param>
/// <param name="Source">Repository, file, batch and configuration.</param>
/// <param name="Metrics">The metrics the source reports, as fractions (MAE in label units).</param>
public sealed record PublishedResult(
    string Id,
    PublishedResultKind Kind,
    BackboneFamily Family,
    PaperDataset Dataset,
    int Seeds,
    bool IsReference,
    string? Why,
    PublishedSource Source,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The paper checkpoint's name (<c>chatglm3-6b-base</c>).</summary>
    public string Backbone => BackboneFamilies.PaperName(Family);
}
