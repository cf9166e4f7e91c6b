using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;
using MseLab.TestSupport;

namespace MseLab.Cluster.Tests;

/// <summary>
/// Datasets in sweeps on a real lab: a sweep on stored MOSEI and MELD (files written by Python's pickle and numpy,
/// make_training_data.py) is pinned to the client's copy when submitted; a worker without that copy refuses every cell
/// before claiming it, saying why in its log, and the cells wait, Queued, for a worker whose copy has the pinned hash.
/// </summary>
public sealed partial class StoredDataClusterTests
{
    private const string Sweep = "stored";
    private static readonly string[] MoseiFiles = ["MOSEI/Processed/unaligned_50.pkl"];
    private static readonly string[] MeldFiles = ["MELD/meld_train.pkl", "MELD/meld_valid.pkl", "MELD/meld_test.pkl"];

    [Fact]
    public async Task WorkerWithoutADataRoot_RefusesEveryCell_AllRunOnTheWorkerWithTheCopy()
    {
        using var lab = new Lab();
        await RunWithRefusingWorkerAsync(lab, [], trial => $"{Name(trial)} is stored data and this worker has no data root (set --data-root, Worker:DataRoot or MSELAB_DATA_ROOT)");
    }

    [Fact]
    public async Task WorkerWithAnEmptyDataRoot_RefusesEveryCellNamingTheMissingFiles()
    {
        using var lab = new Lab();
        var empty = Directory.CreateDirectory(Path.Combine(lab.Directory, "host-b-data")).FullName;

        await RunWithRefusingWorkerAsync(lab, ["--data-root", empty], trial =>
            $"{Name(trial)} is not under this worker's data root {empty}: missing {string.Join(", ", Files(trial))}");
    }

    [Fact]
    public async Task WorkerWithAnotherCopy_RefusesEveryCellNamingBothHashes()
    {
        using var lab = new Lab();
        var other = Generate(Path.Combine(lab.Directory, "host-b-data"), seed: 14);

        var trials = await RunWithRefusingWorkerAsync(lab, ["--data-root", other], trial =>
            $"this worker's copy of {Name(trial)} under {other} has content hash {Hash(other, Files(trial))}; the sweep was submitted with {Pin(trial)}");

        Assert.All(trials, t => Assert.NotEqual(Hash(other, Files(t)), Pin(t)));
    }

    [Fact]
    public void WorkerHelp_ShowsTheDataOptions()
    {
        var help = ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "mselab-worker"), ["--help"]);
        var text = Whitespace().Replace(help.StandardOutput, " ");   // the help wraps descriptions

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--data-root <DIR> This machine's copy of the paper datasets, in the official layout", text, StringComparison.Ordinal);
        Assert.Contains("--data-cache <DIR> Where datasets are prepared once for memory mapping", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The client submits the sweep pinned to its copy of the data. Worker B (<paramref name="workerB"/>'s data options),
    /// alone, must refuse each cell with <paramref name="reason"/>, leaving it Queued and unclaimed; then worker A, with a
    /// copy of the client's files at a path of its own, starts and runs every cell, once. Returns the finished cells.
    /// </summary>
    private static async Task<IReadOnlyList<TrialRow>> RunWithRefusingWorkerAsync(Lab lab, string[] workerB, Func<TrialRow, string> reason)
    {
        var client = Generate(Path.Combine(lab.Directory, "client-data"), seed: null);
        var copy = Path.Combine(lab.Directory, "host-a-data");
        foreach (var file in MoseiFiles.Concat(MeldFiles))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, file))!);
            File.Copy(Path.Combine(client, file), Path.Combine(copy, file));
        }

        // B first and alone, so that every cell reaches it (with A up, A could claim a cell before B ever saw it).
        var b = await lab.StartWorkerAsync("host-b", [.. workerB, "--data-cache", Path.Combine(lab.Directory, "host-b-cache")]);
        lab.Submit(lab.WriteSweep(Sweep, seeds: "[1, 2]", epochs: 1, datasets: "[mosei, meld]"), "--data-root", client);
        var queued = await lab.TrialsAsync(Sweep);
        Assert.Equal(4, queued.Count);
        Assert.All(queued, t => Assert.Equal(Hash(client, Files(t)), Pin(t)));
        string Refusal(TrialRow t) => $"Trial {t.Key} ({t.Dataset}) cannot run on this worker and goes back to the queue for another: {reason(t)}";

        await lab.WaitForAsync(
            () => Task.FromResult<object?>(queued.All(t => b.Log.Contains(Refusal(t), StringComparison.Ordinal)) ? new object() : null),
            TimeSpan.FromSeconds(60),
            "worker B to refuse every cell, naming why");
        // Unclaimed: still Queued for their first attempt, no attempt recorded.
        Assert.All(await lab.TrialsAsync(Sweep), t => Assert.Equal((TrialStatus.Queued, 1, null), (t.Status, t.Attempt, t.Device)));
        Assert.Empty(await lab.Store.AttemptsAsync(Sweep, null, TestContext.Current.CancellationToken));

        await lab.StartWorkerAsync("host-a", "--data-root", copy, "--data-cache", Path.Combine(lab.Directory, "host-a-cache"));
        var trials = await lab.WaitForEndAsync(Sweep, TimeSpan.FromMinutes(3));

        Assert.All(trials, t => Assert.True((TrialStatus.Succeeded, 1, "host-a/cpu:0") == (t.Status, t.Attempt, t.Device), $"{t.Key} ({t.Dataset}): {t.Status}, attempt {t.Attempt} on {t.Device}: {t.Error}\n{lab.Logs()}"));
        var attempts = await lab.Store.AttemptsAsync(Sweep, null, TestContext.Current.CancellationToken);
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, a => Assert.Equal((AttemptOutcome.Succeeded, "host-a/cpu:0"), (a.Outcome, a.Device)));
        Assert.Equal(["meld", "meld", "mosei", "mosei"], trials.Select(Name).Order(StringComparer.Ordinal));
        foreach (var trial in trials)
        {
            // Warned about once per cell, however often the cell came back to B.
            Assert.Single(Regex.Matches(b.Log, Regex.Escape(Refusal(trial))));
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(lab.RunsOf("host-a"), Sweep, trial.Key, "result.json"), TestContext.Current.CancellationToken));
            Assert.Equal(Pin(trial), result.RootElement.GetProperty("Provenance").GetProperty("DatasetHash").GetString());
        }

        return trials;
    }

    private static string Name(TrialRow trial) => trial.Dataset[..trial.Dataset.IndexOf('@', StringComparison.Ordinal)];

    private static string Pin(TrialRow trial) => trial.Dataset[(trial.Dataset.IndexOf('@', StringComparison.Ordinal) + 1)..];

    private static string[] Files(TrialRow trial) => Name(trial) == "mosei" ? MoseiFiles : MeldFiles;

    /// <summary>make_training_data.py's MOSEI and MELD under <paramref name="root"/> (another <paramref name="seed"/>, other content); returns the root.</summary>
    private static string Generate(string root, int? seed)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Data", "make_training_data.py");
        var made = ChildProcess.Run(ChildProcess.Python, seed is { } s ? [script, root, "--seed", s.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [script, root]);
        Assert.True(made.ExitCode == 0, made.StandardError);
        return root;
    }

    // The content hash computed here, not by the product: SHA-256 per file, then SHA-256 over "relative-path\tfile-hash\n"
    // lines in layout order (the cache's definition).
    private static string Hash(string root, string[] relativeFiles)
    {
        var lines = new StringBuilder();
        foreach (var relative in relativeFiles)
        {
            lines.Append(relative).Append('\t').Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, relative))))).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
