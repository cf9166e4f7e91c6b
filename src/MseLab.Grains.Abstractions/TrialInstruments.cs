using System.Diagnostics;

namespace MseLab.Grains;

/// <summary>
/// The meter and activity source MseLab reports trials under (<see cref="Name"/>): clients (a trial's queued span and
/// counter) and silos (runs, epochs, devices) write to the same ones, so one trace follows a trial from the queue to its
/// last epoch.
/// </summary>
public static class TrialInstruments
{
    public const string Name = "MseLab.Trials";

    /// <summary>Spans of trial attempts: queued (the root), run, epoch, evaluation.</summary>
    public static ActivitySource Source { get; } = new(Name);
}
