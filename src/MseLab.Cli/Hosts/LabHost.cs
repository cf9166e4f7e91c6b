using System.Diagnostics;
using System.Net;

namespace MseLab.Cli.Hosts;

/// <summary>One host of <see cref="LabHosts"/>: a network namespace with one link (<c>eth0</c>) on the lab network.</summary>
/// <param name="Number">1, 2, ...</param>
/// <param name="Namespace">The namespace's name (<c>ip netns</c>).</param>
/// <param name="Address">The host's own address, which a worker there advertises.</param>
public sealed record LabHost(int Number, string Namespace, IPAddress Address)
{
    /// <summary>How to start <paramref name="program"/> on this host: <c>ip netns exec</c>, which then runs the program itself (same process id).</summary>
    public ProcessStartInfo StartInfo(string program, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var arg in (string[])["netns", "exec", Namespace, program, .. args])
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Whether a TCP connection from this host to <paramref name="address"/>:<paramref name="port"/> opens within 3 s.</summary>
    public bool Reaches(string address, int port) =>
        IpCommand.TryRun(["netns", "exec", Namespace, "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{address}/{port}"]) is not null;

    public override string ToString() => $"{Namespace} ({Address})";
}
