namespace MseLab.Grains;

/// <summary>A cell handed to a device: which sweep, which cell, which attempt.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialAssignment([property: Id(0)] string SweepId, [property: Id(1)] string TrialKey, [property: Id(2)] int Attempt);
