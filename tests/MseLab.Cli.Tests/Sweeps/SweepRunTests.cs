using System.Diagnostics;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Experiments.Trials;


namespace MseLab.Cli.Tests.Sweeps;

/// <summary><c>mselab sweep run</c> as a real process on the embedded cluster: completion, dedupe, edits, reruns, kills.</summary>
public sealed class SweepRunTests
{
    [Fact]
    public void SweepRun_FreshFolder_RunsEveryCellStoresEpochsAndPrintsLeaderboard()
    {
        using var folder = new SweepFolder();

        var run = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File, "--workers", "2");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var trials = folder.Trials();
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialStatus.Succeeded, t.Status));
        Assert.All(trials, t => Assert.True(t.Test.ContainsKey("mae"), "test metrics stored"));
        var epochs = folder.Epochs(trials[0].Key);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Contains("has0_acc2", run.StandardOutput, StringComparison.Ordinal);   // leaderboard printed
        Assert.Contains("2/2", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepRun_SameSweepAgain_QueuesNothingAndKeepsResults()
    {
        using var folder = new SweepFolder();
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var before = folder.Trials();

        var again = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File);

        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains("0 new", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 already finished", again.StandardOutput, StringComparison.Ordinal);
        var after = folder.Trials();
        Assert.Equal(before.Select(t => (t.Key, t.Attempt, t.FinishedAt)), after.Select(t => (t.Key, t.Attempt, t.FinishedAt)));
    }

    [Fact]
    public void SweepRun_EditedSweep_QueuesOnlyTheNewCells()
    {
        using var folder = new SweepFolder(seeds: "[1111]");
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var first = folder.Trials().Single();

        folder.Write(seeds: "[1111, 2222]", lr: "[5e-3]");
        var edited = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File);

        Assert.True(edited.ExitCode == 0, edited.StandardOutput + edited.StandardError);
        Assert.Contains("1 new", edited.StandardOutput, StringComparison.Ordinal);
        var trials = folder.Trials();
        Assert.Equal(2, trials.Count);
        var kept = trials.Single(t => t.Key == first.Key);
        Assert.Equal((first.Attempt, first.FinishedAt), (kept.Attempt, kept.FinishedAt));   // not redone
    }

    [Fact]
    public void SweepRun_FailedCell_StaysFailedUntilRerunFailed()
    {
        // lr 1e30 makes the loss NaN: a deterministic failure, stored with its reason and not retried.
        using var folder = new SweepFolder(seeds: "[1111]", lr: "[1e30]");
        var run = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File);
        Assert.Equal(1, run.ExitCode);
        var failed = folder.Trials().Single();
        Assert.Equal(TrialStatus.Failed, failed.Status);
        Assert.Contains("NaN", failed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, failed.Attempt);

        var plain = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File);
        Assert.Equal(1, folder.Trials().Single().Attempt);   // a plain rerun leaves failed cells alone
        Assert.Contains("1 already finished", plain.StandardOutput, StringComparison.Ordinal);

        ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File, "--rerun-failed");
        Assert.Equal(2, folder.Trials().Single().Attempt);
    }

    [Fact]
    public void SweepRun_KilledThenRerun_FinishesWithoutRedoingCellsAndMatchesUninterruptedRun()
    {
        using var reference = new SweepFolder(seeds: "[1111, 2222, 3333]");
        Assert.Equal(0, ProcessRunner.MselabIn(reference.Directory, "sweep", "run", reference.File, "--workers", "1").ExitCode);

        using var folder = new SweepFolder(seeds: "[1111, 2222, 3333]");
        DateTime? firstFinished;
        string firstKey;
        using (var process = Start(folder, "sweep", "run", folder.File, "--workers", "2"))
        {
            WaitFor(process, () => folder.Trials().Any(t => t.Status == TrialStatus.Succeeded) && folder.Trials().Any(t => t.Status == TrialStatus.Running && t.Epoch >= 1));
            process.Kill();   // SIGKILL: no checkpoint, no store update
            process.WaitForExit();
            var done = folder.Trials().First(t => t.Status == TrialStatus.Succeeded);
            (firstKey, firstFinished) = (done.Key, done.FinishedAt);
        }

        var rerun = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File, "--workers", "2");

        Assert.True(rerun.ExitCode == 0, rerun.StandardOutput + rerun.StandardError);
        var trials = folder.Trials();
        Assert.All(trials, t => Assert.Equal(TrialStatus.Succeeded, t.Status));
        Assert.Equal(firstFinished, trials.Single(t => t.Key == firstKey).FinishedAt);   // the finished cell was not redone
        // Same metrics as the uninterrupted single-worker run: resume and device choice do not change the science.
        var expected = reference.Trials().ToDictionary(t => t.Key, t => t.Test);
        Assert.All(trials, t => Assert.Equal(expected[t.Key], t.Test));
    }

    [Fact]
    public void SweepCancel_WhileRunning_StopsTheSweepAndRunResumesIt()
    {
        using var folder = new SweepFolder(seeds: "[1111, 2222, 3333]");
        using (var process = Start(folder, "sweep", "run", folder.File))
        {
            WaitFor(process, () => folder.Trials().Any(t => t.Status == TrialStatus.Running));
            var cancel = ProcessRunner.MselabIn(folder.Directory, "sweep", "cancel", folder.Name);
            Assert.True(cancel.ExitCode == 0, cancel.StandardError);
            Assert.True(process.WaitForExit(60_000), "sweep run did not stop after cancel");
            Assert.Equal(1, process.ExitCode);
        }

        Assert.Contains(folder.Trials(), t => t.Status == TrialStatus.Cancelled);
        Assert.DoesNotContain(folder.Trials(), t => t.Status is TrialStatus.Running or TrialStatus.Queued);
        var status = ProcessRunner.MselabIn(folder.Directory, "sweep", "status");
        Assert.Contains("cancelled", status.StandardOutput, StringComparison.Ordinal);

        var resumed = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File);
        Assert.True(resumed.ExitCode == 0, resumed.StandardOutput + resumed.StandardError);
        Assert.All(folder.Trials(), t => Assert.Equal(TrialStatus.Succeeded, t.Status));
    }

    [Fact]
    public void SweepRun_InvalidFile_ExitsTwoWithPositionAndStoresNothing()
    {
        using var folder = new SweepFolder();
        File.WriteAllText(folder.File, "name: bad\nbackbones: [tiny]\ndatasets: [synthetic:mosei]\nseeds: []\nlearning_rate: 3\n");

        var run = ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("sweep.yaml:", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("learning_rate", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Directory, ".mselab", "results.db")));
    }

    private static Process Start(SweepFolder folder, params string[] args)
    {
        var info = new ProcessStartInfo(ProcessRunner.MselabPath) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder.Directory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void WaitFor(Process process, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!Safe(condition))
        {
            Assert.False(process.HasExited, $"mselab exited early with {(process.HasExited ? process.ExitCode : 0)}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the sweep did not reach the expected state within 3 minutes");
            Thread.Sleep(100);
        }
    }

    // The store file may not exist yet, or be mid-migration, while the process starts.
    private static bool Safe(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            return false;
        }
    }
}
