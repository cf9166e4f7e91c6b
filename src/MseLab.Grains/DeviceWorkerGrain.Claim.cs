using MseLab.Store.Records;

namespace MseLab.Grains;

// Claiming a cell for this device in the store: the first half of a run (the queue consumer acknowledges after it).
public sealed partial class DeviceWorkerGrain
{
    public async Task<TrialRunReport> ClaimAsync(TrialAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (_current is not null)
        {
            return new TrialRunReport(TrialRunOutcome.Busy, Key);
        }

        // Taken before the first await: calls interleave, so a second assignment must find the device taken. From here a
        // cancel of its sweep is kept for the run.
        _current = assignment;
        _stopReason = StopReason.None;
        try
        {
            _claimed = await leases.TryClaimAsync(new TrialLease(assignment.SweepId, assignment.TrialKey, assignment.Attempt), Key);
        }
        finally
        {
            if (_claimed is null)
            {
                _current = null;
            }
        }

        if (_claimed is null)
        {
            LogSkipped(logger, assignment.TrialKey, assignment.Attempt, Key);
            return new TrialRunReport(TrialRunOutcome.Skipped, Key);
        }

        _lastHeartbeat = DateTime.UtcNow;
        return new TrialRunReport(TrialRunOutcome.Claimed, Key);
    }

    public Task<TrialRunReport> AdoptAsync(ClaimedCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (_current is not null)
        {
            return Task.FromResult(new TrialRunReport(TrialRunOutcome.Busy, Key));
        }

        var assignment = cell.Assignment;
        _current = assignment;
        _stopReason = StopReason.None;
        _claimed = new ClaimedTrial(new TrialLease(assignment.SweepId, assignment.TrialKey, assignment.Attempt), cell.RunConfig, cell.Backbone, cell.Dataset);
        _lastHeartbeat = DateTime.UtcNow;
        return Task.FromResult(new TrialRunReport(TrialRunOutcome.Claimed, Key));
    }

    // While silos join and leave, Orleans may move a grain's directory entry and start a new activation of this device
    // between the claim and the run: the claim is then only in the store. Take it from there, if the device is free.
    private async Task<ClaimedTrial?> RecoverClaimAsync(TrialAssignment assignment)
    {
        if (_current is not null)
        {
            return null;
        }

        _current = assignment;   // before the await: interleaved calls must find the device taken
        var claimed = await leases.ClaimedByAsync(new TrialLease(assignment.SweepId, assignment.TrialKey, assignment.Attempt), Key);
        if (claimed is null)
        {
            _current = null;
        }
        else
        {
            LogClaimRecovered(logger, assignment.TrialKey, assignment.Attempt, Key);
        }

        return claimed;
    }
}
