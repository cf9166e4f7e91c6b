using MseLab.Experiments.Trials;

namespace MseLab.Grains;

/// <summary>What happened to a cell, as its device tells the sweep's live view.</summary>
/// <param name="TrialKey">The cell.</param>
/// <param name="Attempt">The attempt it happened to.</param>
/// <param name="Kind">Started, progressed or finished.</param>
/// <param name="Device">The device (started).</param>
/// <param name="Status">How the attempt ended (finished): Succeeded, Failed, Cancelled, Pruned, or Queued when it was queued again.</param>
/// <param name="Progress">Epoch, step, loss and validation metric (progressed).</param>
[GenerateSerializer, Immutable]
public sealed record CellEvent(
    [property: Id(0)] string TrialKey,
    [property: Id(1)] int Attempt,
    [property: Id(2)] CellEventKind Kind,
    [property: Id(3)] string? Device = null,
    [property: Id(4)] TrialStatus? Status = null,
    [property: Id(5)] TrialEpochUpdate? Progress = null)
{
    public static CellEvent Started(string trialKey, int attempt, string device) => new(trialKey, attempt, CellEventKind.Started, Device: device);

    public static CellEvent Progressed(TrialEpochUpdate update) => new(update.TrialKey, update.Attempt, CellEventKind.Progressed, Device: update.Device, Progress: update);

    public static CellEvent Finished(string trialKey, int attempt, TrialStatus status) => new(trialKey, attempt, CellEventKind.Finished, Status: status);
}

/// <summary>The kinds of <see cref="CellEvent"/>.</summary>
[GenerateSerializer]
public enum CellEventKind
{
    Started,
    Progressed,
    Finished,
}
