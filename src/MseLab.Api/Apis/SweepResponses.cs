namespace MseLab.Api.Apis;

/// <summary>What a submission did: cells added, failed or interrupted ones queued again, finished ones kept, ones already waiting.</summary>
public sealed record SubmittedSweep(string Sweep, int Added, int Requeued, int AlreadyDone, int AlreadyQueued);

/// <summary>A cancelled sweep and how many of its cells were running.</summary>
public sealed record CancelledSweep(string Sweep, int WasRunning);
