using MseLab.Experiments.Paper;

namespace MseLab.Store.Paper;

/// <summary>One group of our results (a backbone family on a dataset, split further by any extra group-by fields) beside the paper.</summary>
/// <param name="Fields">The group-by values; always <c>family</c> and <c>dataset_name</c>.</param>
/// <param name="N">Finished cells.</param>
/// <param name="Planned">All cells of the group.</param>
/// <param name="Status">Whether a published value exists.</param>
/// <param name="Reference">The published row compared with (null unless <see cref="ComparisonStatus.Compared"/>).</param>
/// <param name="Metrics">The metrics the logs report for this dataset, in the task's order.</param>
/// <param name="Notes">Where our runs differ from the published ones (hyperparameters, precision, seeds, backbone, merged configurations).</param>
/// <param name="OtherPublished">The other rows for this family and dataset: further logged batches and third-party reproductions.</param>
public sealed record PaperComparisonGroup(
    IReadOnlyDictionary<string, string> Fields,
    int N,
    int Planned,
    ComparisonStatus Status,
    PublishedResult? Reference,
    IReadOnlyList<MetricComparison> Metrics,
    IReadOnlyList<string> Notes,
    IReadOnlyList<PublishedResult> OtherPublished);
