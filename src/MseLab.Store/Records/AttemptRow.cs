namespace MseLab.Store.Records;

/// <summary>One ended attempt of a cell: where it ran, how it ended and why.</summary>
public sealed record AttemptRow(string TrialKey, int Attempt, string? Device, DateTime? StartedAt, DateTime EndedAt, AttemptOutcome Outcome, string? Reason);
