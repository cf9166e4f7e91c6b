using System.Text.RegularExpressions;
using MseLab.Cluster.Tests.Infrastructure;

namespace MseLab.Cluster.Tests;

/// <summary>The cluster benchmark runs end to end and prints its figures (the figures themselves are read, not asserted).</summary>
public sealed partial class BenchDispatchClusterTests
{
    [Fact]
    public void BenchDispatchCluster_StartsWorkers_PrintsThroughputAndKillToRerunTimes()
    {
        using var lab = new Lab();
        var bench = lab.Mselab("bench", "dispatch", "--cluster", lab.Profile, "--trials", "300", "--devices", "8", "--kills", "1");
        Assert.True(bench.ExitCode == 0, bench.StandardOutput + bench.StandardError);
        Assert.Contains("300 of 300", bench.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(TrialsPerSecond(), bench.StandardOutput);
        Assert.Matches(KillDistribution(), bench.StandardOutput);
    }

    [GeneratedRegex(@"trials/s \(aim >= 500\)\s+\d+")]
    private static partial Regex TrialsPerSecond();

    [GeneratedRegex(@"SIGKILL to running again, s \(aim <= 10\)\s+n=1 min \d+\.\d")]
    private static partial Regex KillDistribution();
}
