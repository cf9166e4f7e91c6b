using System.Globalization;
using System.Net;

namespace MseLab.Cli.Hosts;

/// <summary>
/// Hosts on one machine, each a network namespace with its own address on the lab network (<see cref="LabNetwork"/>),
/// for what must cross a network: silos that reach each other at advertised addresses, and partitions. Only the
/// namespaces and links made here are touched, and <see cref="Dispose"/> removes them with every process inside.
/// </summary>
/// <remarks>
/// Names carry their owner: <c>mselab-&lt;owner&gt;-h&lt;n&gt;</c>, where the owner is the creating process's id (a test, a
/// bench) or a name (<c>scripts/lab-hosts.sh</c>: <c>dev</c>). Hosts left by an owner process that is gone (killed
/// before it could clean up) are removed by the next <see cref="Create"/>.
/// </remarks>
public sealed class LabHosts : IDisposable
{
    private const string Prefix = "mselab-";
    private const string Link = "eth0";

    private LabHosts(string owner, IReadOnlyList<LabHost> hosts) => (Owner, Hosts) = (owner, hosts);

    /// <summary>Whose hosts these are (part of every name).</summary>
    public string Owner { get; }

    public IReadOnlyList<LabHost> Hosts { get; }

    /// <summary>The host numbered <paramref name="number"/> (1-based).</summary>
    public LabHost this[int number] => Hosts[number - 1];

    /// <summary>Makes <paramref name="count"/> hosts on the lab network, each reaching the servers and the others.</summary>
    /// <param name="count">How many, 1 to 250.</param>
    /// <param name="owner">Letters and digits (at most 6); default this process's id.</param>
    /// <exception cref="LabHostsException">The lab network is not up, or <c>ip</c> failed (what was made is removed).</exception>
    public static LabHosts Create(int count, string? owner = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 250);
        owner ??= Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (owner.Length is 0 or > 6 || !owner.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"owner '{owner}' must be 1 to 6 letters or digits (it is part of link names, at most 15 characters)", nameof(owner));
        }

        if (!LabNetwork.IsUp(out var problem))
        {
            throw new LabHostsException(problem!);
        }

        RemoveLeftovers();
        if (Namespaces().Any(n => n.StartsWith($"{Prefix}{owner}-", StringComparison.Ordinal)))
        {
            throw new LabHostsException($"hosts of owner '{owner}' exist already ({Prefix}{owner}-h1 ...): remove them first (scripts/lab-hosts.sh down)");
        }

        var subnet = FreeSubnet();
        var made = new List<LabHost>();
        var hosts = new LabHosts(owner, made);
        try
        {
            for (var n = 1; n <= count; n++)
            {
                var host = new LabHost(n, $"{Prefix}{owner}-h{n}", IPAddress.Parse($"10.231.{subnet}.{n}"));
                var outside = OutsideLink(owner, $"h{n}");
                IpCommand.Run(["netns", "add", host.Namespace]);
                made.Add(host);
                IpCommand.Run(["link", "add", outside, "type", "veth", "peer", "name", Link, "netns", host.Namespace]);
                IpCommand.Run(["link", "set", outside, "master", LabNetwork.Bridge, "up"]);
                IpCommand.Run(["-n", host.Namespace, "addr", "add", $"{host.Address}/{LabNetwork.PrefixLength}", "dev", Link]);
                IpCommand.Run(["-n", host.Namespace, "link", "set", "lo", "up"]);
                IpCommand.Run(["-n", host.Namespace, "link", "set", Link, "up"]);
            }

            return hosts;
        }
        catch
        {
            hosts.Dispose();
            throw;
        }
    }

    /// <summary>The hosts of <paramref name="owner"/> that exist already (made by an earlier <see cref="Create"/>, e.g. <c>scripts/lab-hosts.sh up</c>), by number; null when there are none.</summary>
    /// <remarks>Disposing the result removes them, as for hosts made by <see cref="Create"/>.</remarks>
    public static LabHosts? Open(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var hosts = Namespaces()
            .Where(n => OwnerOf(n) == owner)
            .Select(n => (Name: n, Number: int.TryParse(n[(n.LastIndexOf("-h", StringComparison.Ordinal) + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 0))
            .Where(h => h.Number > 0)
            .OrderBy(h => h.Number)
            .Select(h => new LabHost(h.Number, h.Name, AddressIn(h.Name) ?? throw new LabHostsException($"host {h.Name} has no address on its {Link}: remove it (scripts/lab-hosts.sh down) and make it again")))
            .ToList();
        return hosts.Count == 0 ? null : new LabHosts(owner, hosts);
    }

    /// <summary>Cuts <paramref name="host"/> off the network (its link down): nothing in or out, connections left hanging.</summary>
    public void Cut(LabHost host) => IpCommand.Run(["-n", Own(host).Namespace, "link", "set", Link, "down"]);

    /// <summary>Brings <paramref name="host"/>'s link back up.</summary>
    public void Heal(LabHost host) => IpCommand.Run(["-n", Own(host).Namespace, "link", "set", Link, "up"]);

    /// <summary>Drops everything <paramref name="host"/> sends to <paramref name="server"/> (a blackhole route); the rest of the network stays.</summary>
    public void Block(LabHost host, LabServer server) =>
        IpCommand.Run(["-n", Own(host).Namespace, "route", "add", "blackhole", $"{LabNetwork.AddressOf(server)}/32"]);

    /// <summary>Undoes <see cref="Block"/>.</summary>
    public void Unblock(LabHost host, LabServer server) =>
        IpCommand.Run(["-n", Own(host).Namespace, "route", "del", "blackhole", $"{LabNetwork.AddressOf(server)}/32"]);

    /// <summary>Whether <paramref name="host"/>'s link is down (<see cref="Cut"/>).</summary>
    public bool IsCut(LabHost host) =>
        !IpCommand.Run(["-n", Own(host).Namespace, "-o", "link", "show", Link]).Split('<', '>')[1].Split(',').Contains("UP");

    /// <summary>The servers <paramref name="host"/> is blocked from (<see cref="Block"/>).</summary>
    public IReadOnlyList<LabServer> Blocked(LabHost host)
    {
        var routes = IpCommand.Run(["-n", Own(host).Namespace, "route", "show", "type", "blackhole"]);
        return [.. Enum.GetValues<LabServer>().Where(s => routes.Split('\n').Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var to, ..] && to == LabNetwork.AddressOf(s).ToString()))];
    }

    /// <summary>Kills every process on these hosts and removes them (their links go with them).</summary>
    public void Dispose()
    {
        foreach (var host in Hosts)
        {
            RemoveNamespace(host.Namespace);
        }
    }

    /// <summary>Removes every host whose owner is <paramref name="owner"/>; returns how many.</summary>
    public static int Remove(string owner) => RemoveWhere(n => n.StartsWith($"{Prefix}{owner}-", StringComparison.Ordinal));

    /// <summary>Removes hosts whose owner was a process that is gone; returns how many.</summary>
    public static int RemoveLeftovers() => RemoveWhere(n =>
        OwnerOf(n) is { } owner && int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsAlive(pid));

    private LabHost Own(LabHost host) =>
        Hosts.Contains(host) ? host : throw new ArgumentException($"{host} is not one of owner {Owner}'s hosts", nameof(host));

    private static int RemoveWhere(Func<string, bool> match)
    {
        var gone = Namespaces().Where(match).ToList();
        foreach (var name in gone)
        {
            RemoveNamespace(name);
        }

        return gone.Count;
    }

    private static void RemoveNamespace(string name)
    {
        // Link up first: the processes killed below then close their connections, rather than leave sockets that retry into
        // a cut link for minutes and keep the namespace (and its link on the bridge) alive after `netns del`.
        IpCommand.TryRun(["-n", name, "link", "set", Link, "up"]);
        foreach (var pid in (IpCommand.TryRun(["netns", "pids", name]) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }

        // The link's outside end first: the kernel frees a deleted namespace (and the veth pair in it) later, on its own time.
        if (name[Prefix.Length..].Split('-') is [var owner, var host])
        {
            IpCommand.TryRun(["link", "del", OutsideLink(owner, host)]);
        }

        IpCommand.TryRun(["netns", "del", name]);
    }

    // The veth end on the bridge, in the root namespace: mlb<owner>h<n> (at most 15 characters).
    private static string OutsideLink(string owner, string host) => $"mlb{owner}{host}";

    private static List<string> Namespaces() =>
        [.. (IpCommand.TryRun(["netns", "list"]) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2)[0])
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))];

    private static string? OwnerOf(string name) =>
        name[Prefix.Length..].Split('-') is [var owner, var host] && host.StartsWith('h') ? owner : null;

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static IPAddress? AddressIn(string name) =>
        (IpCommand.TryRun(["-n", name, "-o", "-4", "addr", "show", "dev", Link]) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.StartsWith("10.231.", StringComparison.Ordinal))
            .Select(word => IPAddress.Parse(word.Split('/')[0]))
            .FirstOrDefault();

    // Each owner gets its own 10.231.N.0/24 (N = 1..254), one no live namespace of ours uses.
    private static int FreeSubnet()
    {
        var used = Namespaces()
            .SelectMany(n => (IpCommand.TryRun(["-n", n, "-o", "-4", "addr", "show", "dev", Link]) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(word => word.StartsWith("10.231.", StringComparison.Ordinal))
            .Select(word => int.Parse(word.Split('.')[2], CultureInfo.InvariantCulture))
            .ToHashSet();
        var start = (Environment.ProcessId % 254) + 1;
        return Enumerable.Range(0, 254).Select(i => ((start - 1 + i) % 254) + 1).FirstOrDefault(n => !used.Contains(n)) is var free and > 0
            ? free
            : throw new LabHostsException("every 10.231.N.0/24 of the lab network is taken by live hosts: remove some (scripts/lab-hosts.sh down)");
    }
}
