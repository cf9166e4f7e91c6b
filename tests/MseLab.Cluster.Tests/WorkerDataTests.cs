using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MseLab.Cluster.Silo;
using MseLab.Contracts;
using MseLab.Datasets.Stored;
using MseLab.Worker;
using MseLab.Worker.Engine;
using Spectre.Console.Cli;

namespace MseLab.Cluster.Tests;

/// <summary>
/// A worker's data settings (<c>--data-root</c>, <c>--data-cache</c>, MSELAB_DATA_ROOT) as the worker host wires them: into
/// the engine's options, and into the check the queue consumer makes before it claims a trial.
/// </summary>
public sealed class WorkerDataTests : IDisposable
{
    private readonly string? _environment = Environment.GetEnvironmentVariable(DataRoot.EnvironmentVariable);
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-worker-data-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, _environment);
        Directory.Delete(_folder, recursive: true);
    }

    private static RunTrial Trial(string? dataset) => new() { SweepId = "s", TrialKey = "k", Attempt = 1, DeviceKind = "cpu", Dataset = dataset };

    private static Microsoft.AspNetCore.Builder.WebApplication Worker(params string[] args)
    {
        var settings = new CommandApp<Keep>();
        Keep.Seen = null;
        Assert.Equal(0, settings.Run(args));
        var builder = WorkerHost.CreateBuilder(Keep.Seen!);
        builder.AddMseLabWorker();
        return builder.Build();
    }

    [Fact]
    public async Task Worker_DataFlags_ReachTheEngineAndThePrerequisites()
    {
        var root = Path.Combine(_folder, "data");
        await using var worker = Worker("--data-root", root, "--data-cache", Path.Combine(_folder, "cache"));

        var engine = worker.Services.GetRequiredService<IOptions<EngineOptions>>().Value;
        var prerequisites = worker.Services.GetRequiredService<ITrialPrerequisites>();

        Assert.Equal((root, Path.Combine(_folder, "cache")), (engine.DataRoot, engine.DataCache));
        Assert.Equal(root, worker.Services.GetRequiredService<LocalDatasets>().Root);
        Assert.Contains(Assert.IsType<AllPrerequisites>(prerequisites).Checks, c => c is StoredDataPrerequisites);
        Assert.Null(await prerequisites.RefusalAsync(Trial("synthetic:mosei"), TestContext.Current.CancellationToken));
        Assert.Null(await prerequisites.RefusalAsync(Trial(null), TestContext.Current.CancellationToken));
        // The root holds no MOSEI: refused (never thrown: a refusal hands the message on, an exception would dead-letter it).
        var reason = await prerequisites.RefusalAsync(Trial("mosei@" + new string('a', 64)), TestContext.Current.CancellationToken);
        Assert.NotNull(reason);
        Assert.Contains("mosei", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_NoDataRoot_FallsBackToTheEnvironmentElseRefusesStoredData()
    {
        Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, _folder);
        await using (var fromEnvironment = Worker())
        {
            Assert.Equal(_folder, fromEnvironment.Services.GetRequiredService<LocalDatasets>().Root);
        }

        Environment.SetEnvironmentVariable(DataRoot.EnvironmentVariable, null);
        await using var without = Worker();
        var reason = await without.Services.GetRequiredService<ITrialPrerequisites>().RefusalAsync(Trial("meld@" + new string('b', 64)), TestContext.Current.CancellationToken);

        Assert.Null(without.Services.GetRequiredService<LocalDatasets>().Root);
        Assert.Equal("meld is stored data and this worker has no data root (set --data-root, Worker:DataRoot or MSELAB_DATA_ROOT)", reason);
    }

    private sealed class Keep : Command<WorkerSettings>
    {
        // The tests of a class run one at a time.
        public static WorkerSettings? Seen { get; set; }

        public override int Execute(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
        {
            Seen = settings;
            return 0;
        }
    }
}
