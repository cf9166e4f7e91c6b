using Orleans.Runtime.Placement;

namespace MseLab.Grains.Placement;

/// <summary>
/// Chooses the silo whose <c>SiloName</c> equals the grain key's host. A device is hardware on one machine, so there
/// is no fallback: with no such silo alive the call fails, naming the host and the silos that are up.
/// </summary>
public sealed class DeviceHostPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = DeviceHostPlacement.HostOf(target.GrainIdentity.Key.ToString()!);
        var compatible = context.GetCompatibleSilos(target);
        var members = membership.CurrentSnapshot.Members;
        foreach (var silo in compatible)
        {
            if (members.TryGetValue(silo, out var member) && string.Equals(member.Name, host, StringComparison.Ordinal))
            {
                return Task.FromResult(silo);
            }
        }

        var alive = string.Join(", ", compatible.Select(s => members.TryGetValue(s, out var m) ? m.Name : s.ToString()));
        throw new OrleansException(
            $"No silo named '{host}' is in the cluster (up: {alive}). Start the worker for '{host}', or check its Worker:Host setting.");
    }
}
