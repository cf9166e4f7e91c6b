namespace MseLab.Store.Paper;

/// <summary>A group of our results left out of the comparison, and why (synthetic data).</summary>
public sealed record ExcludedGroup(IReadOnlyDictionary<string, string> Fields, int N, int Planned, string Reason);
