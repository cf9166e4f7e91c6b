using System.Diagnostics;
using System.Globalization;
using MseLab.Cli.Hosts;
using MseLab.Cluster.Client;
using MseLab.Experiments.Trials;
using MseLab.Store;
using Spectre.Console;

namespace MseLab.Cli.Commands.Bench;

/// <summary>
/// <c>mselab bench failover</c>: one sleeping worker per lab host; each round submits a one-cell sweep, faults the host
/// that runs it (SIGKILL of its worker, or its link cut), times until the cell runs on another host (read from the store),
/// restores the host (a new worker; the link healed, and the worker replaced if it exited), and waits for the cell to end.
/// At the end every cell is checked: lost if it did not succeed, duplicated if more than one attempt succeeded or the
/// result is a lost attempt's.
/// </summary>
internal static class FailoverBench
{
    private static readonly TimeSpan RerunTimeout = TimeSpan.FromSeconds(60);

    private enum Fault
    {
        Kill,
        Partition,
    }

    public static async Task<FailoverFigures> RunAsync(string profile, BenchFailoverCommand.Settings settings, CancellationToken cancellationToken)
    {
        var json = settings.Json;
        var servers = LabServerEndpoints.Of(profile);
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("mselab-failover-");
        try
        {
            using var hosts = LabHosts.Create(settings.Hosts);
            Say(json, $"{hosts.Hosts.Count} lab hosts: {string.Join(", ", hosts.Hosts)}");
            servers.CheckFrom(hosts.Hosts[0], profile);
            Say(json, $"servers from the hosts: {string.Join(", ", servers.Endpoints)}");
            var workers = new HostWorkers(hosts, profile, servers, settings.TrialSeconds, $"failover-{stamp}", folder.FullName);
            var sweeps = new List<(string Sweep, int FaultedAttempt)>();
            var (kills, partitions, replacedAfterCut) = (new List<double>(), new List<double>(), 0);
            await using (workers)
            {
                await workers.StartAllAsync(cancellationToken);
                Say(json, $"workers up: {string.Join(", ", workers.Current.Select(w => $"{w.Name} at {w.Host.Address}"))}");
                await using var connection = await ClusterConnection.StartAsync(profile, cancellationToken);
                var store = connection.Get<ResultQueries>();
                var management = connection.Get<IGrainFactory>().GetGrain<IManagementGrain>(0);
                Fault[] faults = [.. Enumerable.Repeat(Fault.Kill, settings.Kills), .. Enumerable.Repeat(Fault.Partition, settings.Partitions)];
                for (var round = 0; round < faults.Length; round++)
                {
                    foreach (var replaced in await workers.EnsureActiveAsync(management, cancellationToken))
                    {
                        Say(json, $"  {replaced.Name} had left the cluster; replaced");
                    }

                    var sweep = BenchDispatchCommand.Sweep($"bench-failover-{stamp}-{round + 1}", $"bench-failover-{stamp}-{round + 1}.yaml", 1);
                    await connection.Get<SweepSubmitter>().SubmitAsync(sweep, rerunFailed: false, cancellationToken);
                    var running = await BenchWait.UntilAsync(
                        async () => (await store.TrialsAsync(sweep.Name, TrialStatus.Running, false, cancellationToken: cancellationToken)).SingleOrDefault(t => t.Device is not null),
                        RerunTimeout,
                        cancellationToken);
                    var victim = running?.Device is { } device ? workers.Of(device) : null;
                    if (running is null || victim is null)
                    {
                        Say(json, $"  round {round + 1}: the cell did not start on a benchmark worker within {RerunTimeout.TotalSeconds:0} s ({running?.Device ?? "not running"})");
                        sweeps.Add((sweep.Name, 0));
                        continue;
                    }

                    sweeps.Add((sweep.Name, running.Attempt));
                    var fault = faults[round];
                    var clock = Stopwatch.StartNew();
                    if (fault == Fault.Kill)
                    {
                        victim.Process.Kill();
                    }
                    else
                    {
                        hosts.Cut(victim.Host);
                    }

                    var again = await BenchWait.UntilAsync(
                        async () => (await store.TrialsAsync(sweep.Name, null, false, cancellationToken: cancellationToken)).SingleOrDefault(t =>
                            t.Attempt > running.Attempt && t.Status is TrialStatus.Running or TrialStatus.Succeeded && t.Device is { } d
                            && !d.StartsWith(victim.Name + "/", StringComparison.Ordinal)),
                        RerunTimeout,
                        cancellationToken,
                        TimeSpan.FromMilliseconds(50));
                    var seconds = clock.Elapsed.TotalSeconds;
                    var what = fault == Fault.Kill ? $"SIGKILL of {victim.Name}" : $"link of {victim.Host.Namespace} cut";
                    if (again is null)
                    {
                        Say(json, $"  round {round + 1}: {what}: the cell did not run on another host within {RerunTimeout.TotalSeconds:0} s");
                    }
                    else
                    {
                        (fault == Fault.Kill ? kills : partitions).Add(seconds);
                        Say(json, string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}: {what}: running again on {again.Device} after {seconds:F1} s"));
                    }

                    if (fault == Fault.Kill)
                    {
                        await workers.ReplaceAsync(victim, cancellationToken);
                    }
                    else
                    {
                        if (TimeSpan.FromSeconds(settings.CutSeconds) - clock.Elapsed is { Ticks: > 0 } rest)
                        {
                            await Task.Delay(rest, cancellationToken);
                        }

                        hosts.Heal(victim.Host);
                        foreach (var replaced in await workers.EnsureActiveAsync(management, cancellationToken))
                        {
                            replacedAfterCut++;
                            Say(json, $"  round {round + 1}: {replaced.Name} {(replaced.Process.HasExited ? "had exited" : "did not rejoin")} after the heal (the cluster declared it dead while cut); replaced");
                        }
                    }

                    await BenchWait.UntilAsync(
                        async () => (await store.TrialsAsync(sweep.Name, null, false, cancellationToken: cancellationToken)).SingleOrDefault(t => t.Status is TrialStatus.Succeeded or TrialStatus.Failed or TrialStatus.Cancelled),
                        TimeSpan.FromSeconds((3 * settings.TrialSeconds) + 60),
                        cancellationToken);
                }

                var (lost, duplicates) = await CheckAsync(store, sweeps, json, cancellationToken);
                await ForgetAsync(profile, sweeps.Select(s => s.Sweep), json, cancellationToken);
                await workers.ForgetAsync(cancellationToken);
                return new FailoverFigures(settings.Hosts, kills, partitions, lost, duplicates, faults.Length, replacedAfterCut, settings.TrialSeconds);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Every round's cell, judged by FailoverCells.
    private static async Task<(int Lost, int Duplicates)> CheckAsync(
        ResultQueries store, IReadOnlyList<(string Sweep, int FaultedAttempt)> sweeps, bool json, CancellationToken cancellationToken)
    {
        var (lost, duplicates) = (0, 0);
        foreach (var (sweep, faulted) in sweeps)
        {
            var cell = (await store.TrialsAsync(sweep, null, false, cancellationToken: cancellationToken)).Single();
            var attempts = await store.AttemptsAsync(sweep, null, cancellationToken);
            switch (FailoverCells.Judge(cell, attempts, faulted))
            {
                case FailoverCells.Verdict.Lost:
                    lost++;
                    Say(json, $"  lost: {sweep} ended {cell.Status} at attempt {cell.Attempt}");
                    break;
                case FailoverCells.Verdict.Duplicated:
                    duplicates++;
                    Say(json, $"  duplicated: {sweep}: attempts {string.Join(", ", attempts.Select(a => $"{a.Attempt} {a.Outcome} on {a.Device}"))}; result of attempt {cell.Attempt}");
                    break;
                default:
                    break;
            }
        }

        return (lost, duplicates);
    }

    // The benchmark's rows are not results: its sweeps leave the lab's store once checked.
    private static async Task ForgetAsync(string profile, IEnumerable<string> sweeps, bool json, CancellationToken cancellationToken)
    {
        using var database = await LocalStore.OpenAsync(profile, cancellationToken);
        var submissions = new SweepSubmissions(database, new StoreClock(database));
        foreach (var sweep in sweeps)
        {
            try
            {
                await submissions.DeleteAsync(sweep, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                Say(json, $"the benchmark's sweep {sweep} stays in the store: {e.Message}");
            }
        }
    }

    /// <summary>Progress lines: on stderr with <c>--json</c>, so that stdout is the JSON object alone.</summary>
    public static void Say(bool json, string line)
    {
        if (json)
        {
            Console.Error.WriteLine(line);
        }
        else
        {
            AnsiConsole.WriteLine(line);
        }
    }
}
