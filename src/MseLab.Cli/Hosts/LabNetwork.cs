using System.Net;

namespace MseLab.Cli.Hosts;

/// <summary>
/// The private network that <c>scripts/services.sh start</c> (as root) puts on this machine: a bridge whose own addresses
/// are the servers', and hosts (<see cref="LabHosts"/>) in network namespaces with an address each on it. Nothing in it
/// routes anywhere else.
/// </summary>
public static class LabNetwork
{
    /// <summary>The bridge in the root namespace.</summary>
    public const string Bridge = "mselab0";

    /// <summary>The network's prefix length: servers in 10.231.0.0/24, hosts in the rest of the /16.</summary>
    public const int PrefixLength = 16;

    /// <summary>Where the hosts reach the root namespace (the <c>mselab</c> client runs there).</summary>
    public static readonly IPAddress Gateway = IPAddress.Parse("10.231.0.1");

    /// <summary>The address <paramref name="server"/> listens on, besides loopback, with the same port.</summary>
    public static IPAddress AddressOf(LabServer server) => server switch
    {
        LabServer.Postgres => IPAddress.Parse("10.231.0.2"),
        LabServer.RabbitMq => IPAddress.Parse("10.231.0.3"),
        LabServer.Redis => IPAddress.Parse("10.231.0.4"),
        _ => throw new ArgumentOutOfRangeException(nameof(server), server, null),
    };

    /// <summary>Whether the bridge is up with the servers' addresses; when it is not, names the fix.</summary>
    public static bool IsUp(out string? problem)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            problem = "the lab network needs Linux network namespaces and root (ip netns)";
            return false;
        }

        var addresses = IpCommand.TryRun(["-o", "-4", "addr", "show", "dev", Bridge]);
        var missing = Enum.GetValues<LabServer>().Where(s => addresses?.Contains($" {AddressOf(s)}/", StringComparison.Ordinal) != true).ToList();
        problem = missing.Count == 0 ? null
            : $"the lab network's bridge {Bridge} is not up with the servers' addresses ({string.Join(", ", missing)} missing): run `scripts/services.sh start` as root, which puts the servers on it";
        return problem is null;
    }
}
