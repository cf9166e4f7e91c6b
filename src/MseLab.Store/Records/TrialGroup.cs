namespace MseLab.Store.Records;

/// <summary>The cells of one leaderboard group, labelled by the group-by fields.</summary>
internal sealed record TrialGroup(IReadOnlyDictionary<string, string> Fields, IReadOnlyList<TrialRow> Trials);
