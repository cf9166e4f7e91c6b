using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.TestSupport;

namespace MseLab.Cluster.Tests;

/// <summary>
/// Safe paths on a real lab (Postgres, RabbitMQ, Redis, worker processes): workers started with --backbone-root register
/// their roots; `sweep run --cluster` refuses backbone folders outside every worker's roots, symbolic links that lead out
/// included; a worker whose own roots do not hold a trial's folder hands it back, and a worker whose roots do runs it.
/// </summary>
public sealed class SafePathsClusterTests
{
    [Fact]
    public async Task BackbonesOutsideTheRoots_RefusedAtSubmission_AndOnlyAWorkerHoldingTheFolderRunsIt()
    {
        using var lab = new Lab();
        var models = Path.Combine(lab.Directory, "models");
        var inside = Path.Combine(models, "tiny");
        CopyFolder(TinyBackbones.Directory, inside);
        var otherModels = Path.Combine(lab.Directory, "other-models");
        Directory.CreateDirectory(otherModels);
        await lab.StartWorkerAsync("holder", "--backbone-root", models);
        var stranger = await lab.StartWorkerAsync("stranger", "--backbone-root", otherModels);

        // Outside every registered root: refused before anything is stored, naming the line, the path and the roots.
        var outside = lab.Mselab("sweep", "run", lab.WriteSweep("outside"), "--cluster", lab.Profile, "--detach");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("outside.yaml:6:", outside.StandardError, StringComparison.Ordinal);
        Assert.Contains($"resolves to {TinyBackbones.Directory}, outside the allowed roots", outside.StandardError, StringComparison.Ordinal);
        Assert.Contains(models, outside.StandardError, StringComparison.Ordinal);
        Assert.Empty(await lab.Store.SweepsAsync("outside", TestContext.Current.CancellationToken));

        // A link inside a root that leads out: refused too.
        var link = Path.Combine(models, "borrowed");
        Directory.CreateSymbolicLink(link, TinyBackbones.Directory);
        var escape = lab.Mselab("sweep", "run", WriteSweepOn(lab, "escape", link), "--cluster", lab.Profile, "--detach");
        Assert.Equal(2, escape.ExitCode);
        Assert.Contains($"leads through a symbolic link to {TinyBackbones.Directory}", escape.StandardError, StringComparison.Ordinal);

        // Inside the holder's root: queued; the stranger refuses its deliveries before claiming, the holder runs every cell.
        lab.Submit(WriteSweepOn(lab, "inside", inside, seeds: "[1, 2, 3, 4]"));
        var trials = await lab.WaitForEndAsync("inside", TimeSpan.FromMinutes(3));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Succeeded, "holder/cpu:0"), (t.Status, t.Device)));
        Assert.Contains("outside the allowed roots of this worker", stranger.Log, StringComparison.Ordinal);

        var registered = await lab.Workers.ListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([models], registered.Single(w => w.Host == "holder").Roots.Backbones);
    }

    private static string WriteSweepOn(Lab lab, string name, string backbone, string seeds = "[1111]")
    {
        var path = lab.WriteSweep(name, seeds: seeds);
        File.WriteAllText(path, File.ReadAllText(path).Replace(TinyBackbones.Directory, backbone, StringComparison.Ordinal));
        return path;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
