using System.Globalization;
using System.Text.Json;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.TestSupport;

namespace MseLab.Cluster.Tests.Hosts;

/// <summary>
/// <c>mselab bench failover</c> end to end on real lab hosts: a SIGKILL and a link cut, each with its requeue time, nothing
/// lost or duplicated, and no host left behind. The figures themselves are printed by the benchmark, not asserted.
/// </summary>
public sealed class BenchFailoverTests
{
    [Fact]
    public void BenchFailover_OneKillOnePartitionOnThreeHosts_JsonWithARequeueTimeEach_NothingLostOrDuplicated_NoHostLeft()
    {
        using var lab = new Lab();
        var before = Namespaces();

        // The lab's profile names the servers on loopback: the bench gives its workers the lab network's addresses.
        var bench = lab.Mselab("bench", "failover", "--cluster", lab.Profile, "--hosts", "3", "--kills", "1", "--partitions", "1", "--trial-seconds", "8", "--json");

        Assert.True(bench.ExitCode == 0, bench.StandardOutput + bench.StandardError);
        using var json = JsonDocument.Parse(bench.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(["hosts", "kill_requeue_s", "partition_requeue_s", "lost", "duplicates"], root.EnumerateObject().Take(5).Select(p => p.Name));
        Assert.Equal((3, 0, 0), (root.GetProperty("hosts").GetInt32(), root.GetProperty("lost").GetInt32(), root.GetProperty("duplicates").GetInt32()));
        var kills = root.GetProperty("kill_requeue_s").EnumerateArray().Select(s => s.GetDouble()).ToList();
        var partitions = root.GetProperty("partition_requeue_s").EnumerateArray().Select(s => s.GetDouble()).ToList();
        Assert.Single(kills);
        Assert.Single(partitions);

        // A cell cannot run again before the lease (6 s by default) is over: a smaller figure would not be a requeue.
        Assert.All(kills.Concat(partitions), s => Assert.InRange(s, 3.0, 60.0));
        Assert.Contains("SIGKILL of failover-", bench.StandardError, StringComparison.Ordinal);
        Assert.Contains("cut: running again on failover-", bench.StandardError, StringComparison.Ordinal);

        // Its own hosts (owner: the bench's process, now gone) are removed with their workers.
        Assert.DoesNotContain(Namespaces().Except(before), n => n.Split('-') is [_, var owner, _] && int.TryParse(owner, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"));
    }

    private static List<string> Namespaces() =>
        [.. ChildProcess.Run("ip", ["netns", "list"]).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])];
}
