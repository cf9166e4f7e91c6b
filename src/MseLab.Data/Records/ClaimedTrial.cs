namespace MseLab.Data.Records;

/// <summary>A cell a worker has claimed for one attempt: what to run.</summary>
public sealed record ClaimedTrial(string SweepId, string Key, int Attempt, string RunConfig);
