namespace MseLab.Experiments.Paper;

/// <summary>Where one published result was read.</summary>
/// <param name="Repository">The GitHub repository (<c>AZYoung233/MSE-Adapter</c> for the authors' logs).</param>
/// <param name="Path">The file in it (a log, <c>RESULTS.md</c>), or <c>issues/N</c> for an issue thread.</param>
/// <param name="Batch">Which run: its date or how the source names it.</param>
/// <param name="Config">The configuration it ran with, as far as the source says.</param>
public sealed record PublishedSource(string Repository, string Path, string Batch, string Config);
