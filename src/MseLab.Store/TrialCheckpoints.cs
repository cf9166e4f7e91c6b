using Microsoft.EntityFrameworkCore;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>
/// The checkpoints of cells, held in the store so that any worker that reaches it can resume a cell another ran. They are
/// written with each epoch (<see cref="TrialLeases.RecordEpochAsync"/>, under the lease) and read here.
/// </summary>
public sealed class TrialCheckpoints(ResultsDatabase database)
{
    /// <summary>The checkpoint of <paramref name="kind"/> of a cell, or null.</summary>
    public async Task<CheckpointBlob?> GetAsync(string sweepId, string key, CheckpointKind kind, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Checkpoints.AsNoTracking()
            .Where(c => c.SweepId == sweepId && c.TrialKey == key && c.Kind == kind)
            .Select(c => new CheckpointBlob(c.Kind, c.Epoch, c.Sha256, c.Content))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
