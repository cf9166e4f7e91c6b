using Microsoft.EntityFrameworkCore;
using MseLab.Store.Entities;
using MseLab.Store.Records;
using static MseLab.Store.Tests.Submissions;

namespace MseLab.Store.Tests;

/// <summary>
/// The writes of dispatch change a seed group's row by increments, not by recomputing it from all the group's cells (a
/// recomputation per claim, start and success made dispatch quadratic in the group's size: <c>mselab bench dispatch</c>
/// fell from 1502 to 30 trials/s with 10,000 seeds in one group). Each test offsets the stored counts first: an
/// increment keeps the offset, a recomputation would erase it. That the rows stay equal to the cells is
/// <see cref="SeedGroupMomentsTests"/>'s part.
/// </summary>
public sealed class SeedGroupIncrementTests
{
    private const int Offset = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool> Providers => [false, true];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Lifecycle_ClaimHeartbeatAndSuccessWithoutMetrics_OnlyIncrementTheGroup(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        var cells = await lab.SubmitAsync(Cell("a", seed: 1), Cell("b", seed: 2), Cell("c", seed: 3));
        await OffsetAsync(lab);

        var claimed = await lab.ClaimAsync(cells[0]);
        Assert.Equal(HeartbeatReply.Continue, await lab.Leases.HeartbeatAsync(cells[0].Lease, 1, 0.5, Ct));
        Assert.True(await lab.Leases.CompleteAsync(claimed.Lease, Outcome(new Dictionary<string, double>()), Ct));
        await lab.ClaimAsync(cells[1]);

        var row = await RowAsync(lab);
        Assert.Equal((Offset + 3, Offset + 1), (row.Planned, row.Finished));
    }

    [Fact]
    public async Task Submission_NewCellsInAnExistingGroup_OnlyIncrementTheGroupOnSqlite()
    {
        // Postgres recomputes each group once per INSERT statement (a statement trigger), not once per cell.
        await using var lab = await TempStore.CreateAsync();
        await lab.SubmitAsync(Cell("b", seed: 2), Cell("c", seed: 3));
        await OffsetAsync(lab);

        await lab.SubmitAsync(Cell("b", seed: 2), Cell("c", seed: 3), Cell("a", seed: 1), Cell("d", seed: 4));

        var row = await RowAsync(lab);
        Assert.Equal((Offset + 4, Offset), (row.Planned, row.Finished));
        Assert.Equal(1, row.Seed);   // a, the new first cell, gives the group's configuration
    }

    private static async Task OffsetAsync(TempStore lab)
    {
        await using var db = lab.Database.CreateContext();
        Assert.Equal(1, await db.Database.ExecuteSqlAsync(
            $"""UPDATE seed_group_stats SET "Planned" = "Planned" + {Offset}, "Finished" = "Finished" + {Offset}""", Ct));
    }

    private static async Task<SeedGroupStatsEntity> RowAsync(TempStore lab)
    {
        await using var db = lab.Database.CreateContext();
        return await db.SeedGroupStats.AsNoTracking().SingleAsync(Ct);
    }
}
