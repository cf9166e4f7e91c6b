using MseLab.Store.Records;

namespace MseLab.Cluster.Silo;

/// <summary>What <see cref="FairShareScheduler.ClaimAsync"/> found.</summary>
/// <param name="Claimed">The cell claimed for the device, or null.</param>
/// <param name="OthersWait">Whether queued cells of the device's kind wait (when none was claimed: for another device or worker, or in backoff).</param>
public sealed record FairClaim(ClaimedTrial? Claimed, bool OthersWait);
