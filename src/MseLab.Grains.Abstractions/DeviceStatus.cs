namespace MseLab.Grains;

/// <summary>A device's current work and liveness.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceStatus(
    [property: Id(0)] string Device,
    [property: Id(1)] string? SweepId,
    [property: Id(2)] string? TrialKey,
    [property: Id(3)] int Epoch,
    [property: Id(4)] DateTime LastHeartbeat,
    [property: Id(5)] int TrialsRun);
