namespace MseLab.Grains;

/// <summary>
/// A cell the queue consumer has already claimed in the store for a device (fair share picks which cell a free device
/// takes): what the device needs to run it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClaimedCell(
    [property: Id(0)] TrialAssignment Assignment,
    [property: Id(1)] string RunConfig,
    [property: Id(2)] string Backbone,
    [property: Id(3)] string Dataset);
