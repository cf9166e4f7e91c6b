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

    [Fact]
    public void BenchDispatchCluster_JsonWithOptuna_OptunaOnTheSamePostgresWithAsManyProcesses()
    {
        using var lab = new Lab();
        var bench = lab.Mselab("bench", "dispatch", "--cluster", lab.Profile, "--trials", "200", "--devices", "4", "--worker-processes", "2", "--kills", "0",
            "--json", "--compare-optuna", "--optuna-trials", "40");

        Assert.True(bench.ExitCode == 0, bench.StandardOutput + bench.StandardError);
        using var json = System.Text.Json.JsonDocument.Parse(bench.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(("cluster", 200, 2), (root.GetProperty("mode").GetString(), root.GetProperty("succeeded").GetInt32(), root.GetProperty("worker_processes").GetInt32()));
        var optuna = root.GetProperty("optuna");
        Assert.Equal(("postgresql+psycopg2", 2, 40), (optuna.GetProperty("storage").GetString(), optuna.GetProperty("workers").GetInt32(), optuna.GetProperty("completed").GetInt32()));
        Assert.True(root.GetProperty("times_optuna").GetDouble() > 0);
    }

    [GeneratedRegex(@"trials/s\s+\d+")]
    private static partial Regex TrialsPerSecond();

    [GeneratedRegex(@"SIGKILL to running again, s \(aim <= 10\)\s+n=1 min \d+\.\d")]
    private static partial Regex KillDistribution();
}
