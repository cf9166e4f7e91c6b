using Microsoft.EntityFrameworkCore;
using MseLab.Store.Database;
using MseLab.Store.Entities;


namespace MseLab.Store.Tests;

/// <summary>Group commit: writes queued together share a transaction, and one failing write rolls back alone.</summary>
public sealed class StoreWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteAsync_FailingUnitInABatch_RollsBackAloneAndTheOthersCommit()
    {
        await using var lab = await TempStore.CreateAsync();
        var database = lab.Database;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = database.WriteAsync(async (db, ct) => { await gate.Task; return await AddSweepAsync(db, "first", ct); }, Ct);

        // Queued while the first runs: these two go into the next batch together.
        var failing = database.WriteAsync<int>(async (db, ct) =>
        {
            await AddSweepAsync(db, "failing", ct);
            throw new InvalidOperationException("unit failed after its write");
        }, Ct);
        var good = database.WriteAsync((db, ct) => AddSweepAsync(db, "good", ct), Ct);
        gate.SetResult();

        await first;
        await good;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("unit failed after its write", error.Message);
        await using var read = database.CreateContext();
        Assert.Equal(["first", "good"], await read.Sweeps.Select(s => s.Id).OrderBy(id => id).ToListAsync(Ct));
    }

    [Fact]
    public async Task WriteAsync_LaterUnitInTheSameBatch_SeesTheEarlierUnitsWrites()
    {
        await using var lab = await TempStore.CreateAsync();
        var database = lab.Database;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = database.WriteAsync(async (db, ct) => { await gate.Task; return 0; }, Ct);
        var add = database.WriteAsync((db, ct) => AddSweepAsync(db, "a", ct), Ct);
        var count = database.WriteAsync((db, ct) => db.Sweeps.CountAsync(ct), Ct);
        gate.SetResult();

        await blocker;
        await add;
        Assert.Equal(1, await count);
    }

    private static async Task<int> AddSweepAsync(MseLabDbContext db, string id, CancellationToken ct)
    {
        db.Sweeps.Add(new SweepEntity { Id = id, File = $"{id}.yaml", Definition = "", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
        return await db.SaveChangesAsync(ct);
    }
}
