namespace MseLab.Store.Paper;

/// <summary><c>mselab results --compare paper</c>: the compared groups and the groups left out.</summary>
public sealed record PaperComparisonReport(IReadOnlyList<PaperComparisonGroup> Groups, IReadOnlyList<ExcludedGroup> Excluded);
