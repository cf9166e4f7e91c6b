using System.Globalization;
using System.Net;
using MseLab.Cli.Hosts;
using MseLab.TestSupport;

namespace MseLab.Cluster.Tests.Hosts;

/// <summary>The hosts the multi-host tests run on: real namespaces on the lab network, reaching the servers and each other, cut and healed.</summary>
public sealed class LabHostsTests
{
    [Fact]
    public void Create_TwoHosts_ReachServersAndEachOther_CutBlockAndHeal_RemovedWithTheirProcesses()
    {
        using var hosts = LabHosts.Create(2);
        var (one, two) = (hosts[1], hosts[2]);
        Assert.NotEqual(one.Address, two.Address);

        // A listener on host 2, at its own address, reached from host 1 and from this (the root) namespace.
        using var listener = new ProcessOnHost(two, "python3", ["-c", $"import socket,time; s=socket.socket(); s.bind(('{two.Address}', 47001)); s.listen(); time.sleep(120)"]);
        Assert.True(WaitUntil(() => Reaches(one, two.Address, 47001)), "host 1 does not reach a listener on host 2");
        foreach (var server in Enum.GetValues<LabServer>())
        {
            Assert.True(Reaches(one, LabNetwork.AddressOf(server), PortOf(server)), $"host 1 does not reach {server} at {LabNetwork.AddressOf(server)}");
        }

        hosts.Block(one, LabServer.Postgres);
        Assert.False(Reaches(one, LabNetwork.AddressOf(LabServer.Postgres), PortOf(LabServer.Postgres)));
        Assert.True(Reaches(one, LabNetwork.AddressOf(LabServer.Redis), PortOf(LabServer.Redis)));
        Assert.True(Reaches(two, LabNetwork.AddressOf(LabServer.Postgres), PortOf(LabServer.Postgres)), "blocking on host 1 reached host 2");
        hosts.Unblock(one, LabServer.Postgres);
        Assert.True(Reaches(one, LabNetwork.AddressOf(LabServer.Postgres), PortOf(LabServer.Postgres)));

        hosts.Cut(one);
        Assert.False(Reaches(one, two.Address, 47001));
        Assert.False(Reaches(one, LabNetwork.AddressOf(LabServer.Redis), PortOf(LabServer.Redis)));
        hosts.Heal(one);
        Assert.True(WaitUntil(() => Reaches(one, two.Address, 47001)), "host 1 does not reach host 2 after the heal");

        hosts.Dispose();
        Assert.DoesNotContain(two.Namespace, Namespaces());
        Assert.True(listener.WaitForExit(TimeSpan.FromSeconds(10)), "the process on a removed host still runs");
    }

    [Fact]
    public void Create_RemovesHostsLeftByAProcessThatIsGone()
    {
        using var gone = System.Diagnostics.Process.Start("true")!;
        gone.WaitForExit();
        var owner = gone.Id.ToString(CultureInfo.InvariantCulture);
        var left = LabHosts.Create(1, owner);   // made as that process, which then "crashed" without cleaning up
        Assert.Contains(left[1].Namespace, Namespaces());

        using var mine = LabHosts.Create(1);
        Assert.DoesNotContain(left[1].Namespace, Namespaces());
        Assert.Contains(mine[1].Namespace, Namespaces());
    }

    private static bool Reaches(LabHost from, IPAddress address, int port) =>
        ChildProcess.Run("ip", ["netns", "exec", from.Namespace, "timeout", "2", "bash", "-c", $"exec 3<>/dev/tcp/{address}/{port}"]).ExitCode == 0;

    private static int PortOf(LabServer server) => server switch
    {
        LabServer.Postgres => new Npgsql.NpgsqlConnectionStringBuilder(Infrastructure.LabServices.Postgres).Port,
        LabServer.RabbitMq => new Uri(Infrastructure.LabServices.RabbitMq).Port,
        _ => int.Parse(Infrastructure.LabServices.Redis.Split(':')[1], CultureInfo.InvariantCulture),
    };

    private static bool WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    private static List<string> Namespaces() =>
        [.. ChildProcess.Run("ip", ["netns", "list"]).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];

    /// <summary>A process started on a host, killed at the end if still there.</summary>
    private sealed class ProcessOnHost(LabHost host, string program, string[] args) : IDisposable
    {
        private readonly System.Diagnostics.Process _process = System.Diagnostics.Process.Start(host.StartInfo(program, args))!;

        public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
