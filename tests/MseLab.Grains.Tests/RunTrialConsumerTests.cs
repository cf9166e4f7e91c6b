using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MseLab.Cluster.Client;
using MseLab.Cluster.Silo;
using MseLab.Contracts;
using MseLab.Store;
using MseLab.Store.FairShare;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>
/// The queue consumer asks <see cref="ITrialPrerequisites"/> before it claims: a trial this worker cannot run (its data is
/// not here) is handed back to the queue unclaimed, with one warning per trial and reason however often it comes back.
/// MassTransit's in-memory test harness delivers the hand-backs; the store is a real SQLite file holding the one queued
/// cell that fair share then claims; the device grain is a recording fake.
/// </summary>
public sealed class RunTrialConsumerTests : IAsyncDisposable
{
    private const string Reason = "mosei is not under this worker's data root /data: missing MOSEI/Processed/unaligned_50.pkl";

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-consumer-").FullName;
    private readonly ScriptedPrerequisites _prerequisites = new();
    private readonly ClaimRecorder _claims = new();
    private readonly LogRecorder _logs = new();
    private ServiceProvider? _services;

    public RunTrialConsumerTests() => _claims.PrerequisiteCalls = () => _prerequisites.Calls;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ITestHarness> StartAsync(string key)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(_logs));
        services.Configure<WorkerOptions>(o => (o.Host, o.Devices) = ("worker-a", ["cpu:0"]));
        var database = new ResultsDatabase(new StoreOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "results.db")}" });
        await database.MigrateAsync(TestContext.Current.CancellationToken);
        var cell = new CellSubmission(key, "g", "tiny", Trial(key).Dataset!, 1, 1e-3, 1, "{}", "{}");
        await new SweepSubmissions(database, new StoreClock(database)).SubmitAsync(new SweepSubmission("s", "/s.yaml", "name: s\n", "cpu", 0, 0, 0, [cell]), false, TestContext.Current.CancellationToken);
        services.AddSingleton(database);
        services.AddSingleton<FairShareClaims>();
        services.AddSingleton<FairShareScheduler>();
        services.AddSingleton<IUserWeights, ConfiguredUserWeights>();
        services.AddOptions<FairShareOptions>();
        services.AddSingleton<DispatchOutbox>();
        services.AddSingleton<ITrialDispatcher, NoDispatch>();
        services.AddSingleton<LocalDevices>();
        services.AddSingleton<TrialRuns>();
        services.AddSingleton<TrialRefusals>();
        services.AddSingleton<ITrialPrerequisites>(_prerequisites);
        services.AddSingleton(_claims.GrainFactory());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new StoreClock(sp.GetRequiredService<ResultsDatabase>()));
        services.AddMassTransitTestHarness(bus => bus.AddConsumer<RunTrialConsumer>());
        _services = services.BuildServiceProvider(true);
        var harness = _services.GetRequiredService<ITestHarness>();
        harness.TestTimeout = TimeSpan.FromSeconds(30);
        await harness.Start();
        return harness;
    }

    private static RunTrial Trial(string key) => new()
    {
        SweepId = "s", TrialKey = key, Attempt = 1, DeviceKind = "cpu", MemoryGb = 0,
        Dataset = "mosei@" + new string('a', 64),
    };

    [Fact]
    public async Task Consume_Refused_HandedBackUnclaimedUntilAccepted()
    {
        _prerequisites.RefuseFirst(2, Reason);
        var harness = await StartAsync("k1");

        await harness.Bus.Publish(Trial("k1"), TestContext.Current.CancellationToken);
        var claim = await _claims.First.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // Asked three times (two refusals, each handed back to the queue, then accepted), claimed once, after the refusals.
        Assert.Equal(new Grains.TrialAssignment("s", "k1", 1), claim.Assignment);
        Assert.Equal(3, claim.PrerequisiteCallsBefore);
        Assert.Equal("worker-a/cpu:0", claim.Device);
        Assert.Equal(3, harness.Consumed.Select<RunTrial>(TestContext.Current.CancellationToken).Count());
        Assert.All(_prerequisites.Asked, t => Assert.Equal(Trial("k1"), t));
    }

    [Fact]
    public async Task Consume_RefusedAgainAndAgain_OneWarningPerTrialAndReason()
    {
        _prerequisites.RefuseFirst(3, Reason);
        var harness = await StartAsync("k2");

        await harness.Bus.Publish(Trial("k2"), TestContext.Current.CancellationToken);
        await _claims.First.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var warning = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(202, warning.EventId);
        Assert.Equal($"Trial k2 (mosei@{new string('a', 64)}) cannot run on this worker and goes back to the queue for another: {Reason}", warning.Message);
    }

    private sealed class ScriptedPrerequisites : ITrialPrerequisites
    {
        private int _refusals;
        private string? _reason;

        public ConcurrentQueue<RunTrial> Asked { get; } = new();

        public int Calls => Asked.Count;

        public void RefuseFirst(int count, string reason) => (_refusals, _reason) = (count, reason);

        public ValueTask<string?> RefusalAsync(RunTrial trial, CancellationToken cancellationToken)
        {
            Asked.Enqueue(trial);
            return ValueTask.FromResult(Interlocked.Decrement(ref _refusals) >= 0 ? _reason : null);
        }
    }

    private sealed record Claim(string Device, Grains.TrialAssignment Assignment, int PrerequisiteCallsBefore);

    /// <summary>A grain factory whose device grains record their first claim and answer Skipped (nothing runs).</summary>
    private sealed class ClaimRecorder
    {
        private readonly TaskCompletionSource<Claim> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<int>? PrerequisiteCalls { get; set; }

        public Task<Claim> First => _first.Task;

        public IGrainFactory GrainFactory()
        {
            var factory = DispatchProxy.Create<IGrainFactory, Proxy>();
            ((Proxy)(object)factory).Handler = (method, args) =>
            {
                var device = (string)args![0]!;
                var grain = DispatchProxy.Create<IDeviceWorkerGrain, Proxy>();
                ((Proxy)(object)grain).Handler = (m, a) =>
                {
                    var assignment = a![0] switch
                    {
                        ClaimedCell cell => cell.Assignment,
                        Grains.TrialAssignment t => t,
                        var other => throw new NotSupportedException($"{m.Name}({other})"),
                    };
                    _first.TrySetResult(new Claim(device, assignment, PrerequisiteCalls?.Invoke() ?? -1));
                    // Adopted, then run at once with nothing to do.
                    var outcome = m.Name == nameof(IDeviceWorkerGrain.AdoptAsync) ? TrialRunOutcome.Claimed : TrialRunOutcome.Skipped;
                    return Task.FromResult(new TrialRunReport(outcome, device));
                };
                return grain;
            };
            return factory;
        }
    }

    // DispatchProxy needs a public, non-sealed class with a parameterless constructor.
#pragma warning disable CA1852
    public class Proxy : DispatchProxy
#pragma warning restore CA1852
    {
        internal Func<MethodInfo, object?[]?, object?> Handler { get; set; } = (m, _) => throw new NotSupportedException(m.Name);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Handler(targetMethod!, args);
    }

    private sealed class NoDispatch : ITrialDispatcher
    {
        public Task DispatchAsync(IReadOnlyList<QueuedCell> cells, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private sealed record LogEntry(LogLevel Level, int EventId, string Message);

    private sealed class LogRecorder : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => categoryName == typeof(RunTrialConsumer).FullName || categoryName == typeof(FairShareScheduler).FullName ? new Logger(Entries) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
