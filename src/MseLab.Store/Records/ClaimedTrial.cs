namespace MseLab.Store.Records;

/// <summary>A cell a device has claimed for one attempt: its lease, the configuration to run (JSON, as stored) and its labels.</summary>
/// <param name="Lease">The attempt's hold on the cell.</param>
/// <param name="RunConfig">The trial configuration to run, JSON.</param>
/// <param name="Backbone">The backbone as the sweep names it (metrics and traces are labelled with it).</param>
/// <param name="Dataset">The dataset as the sweep names it.</param>
public sealed record ClaimedTrial(TrialLease Lease, string RunConfig, string Backbone, string Dataset)
{
    public string SweepId => Lease.SweepId;

    public string Key => Lease.Key;

    public int Attempt => Lease.Attempt;
}
