using System.Text.Json;
using MseLab.Data;
using MseLab.Data.Records;

namespace MseLab.Grains;

/// <summary>
/// A sweep's live progress. The store is the system of record: the grain loads every cell on activation and on
/// <see cref="RefreshAsync"/>, then follows device reports in memory.
/// </summary>
public sealed class SweepGrain(ResultsStore store) : Grain, ISweepGrain
{
    private readonly Dictionary<string, CellProgress> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _epochStarted = new(StringComparer.Ordinal);
    private List<string> _order = [];   // cells by label, so that reading progress never sorts
    private bool _cancelled;

    private string SweepId => this.GetPrimaryKeyString();

    // Other processes change the store too (a cancel from another shell, another client's submission): follow it slowly.
    private static readonly TimeSpan StoreRefresh = TimeSpan.FromSeconds(5);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        this.RegisterGrainTimer(FollowStoreAsync, new GrainTimerCreationOptions(StoreRefresh, StoreRefresh) { KeepAlive = false });
    }

    public Task RefreshAsync() => LoadAsync(CancellationToken.None);

    public Task<SweepProgress> GetProgressAsync() =>
        Task.FromResult(new SweepProgress(SweepId, _cancelled, _order.ConvertAll(key => _cells[key])));

    public Task OnTrialStartedAsync(string trialKey, int attempt, string device)
    {
        Update(trialKey, c => c with { Status = CellStatus.Running, Attempt = attempt, Device = device, Epoch = 0, Step = 0, Loss = null });
        _epochStarted[trialKey] = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public Task OnTrialEpochAsync(TrialEpochUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Update(update.TrialKey, c =>
        {
            if (c.Status != CellStatus.Running)
            {
                return c;   // a late progress report after the cell ended
            }

            var next = c with { Epoch = update.Epoch, Step = update.Step, StepsInEpoch = update.StepsInEpoch, Loss = update.Loss ?? c.Loss };
            if (update.Metric is { } metric)
            {
                var now = DateTime.UtcNow;
                var seconds = _epochStarted.TryGetValue(update.TrialKey, out var started) ? (now - started).TotalSeconds : (double?)null;
                _epochStarted[update.TrialKey] = now;
                next = next with { MetricName = update.MetricName, Metric = metric, SecondsPerEpoch = seconds };
            }

            return next;
        });
        return Task.CompletedTask;
    }

    public Task OnTrialFinishedAsync(string trialKey, int attempt, CellStatus status)
    {
        Update(trialKey, c => c with { Status = status, Attempt = status == CellStatus.Queued ? attempt + 1 : attempt });
        return Task.CompletedTask;
    }

    public async Task<int> CancelAsync()
    {
        var running = await store.CancelSweepAsync(SweepId);
        _cancelled = true;
        foreach (var trial in running.Where(t => t.Device is not null))
        {
            await GrainFactory.GetGrain<IDeviceWorkerGrain>(trial.Device!).CancelAsync(SweepId, trial.Key);
        }

        foreach (var cell in _cells.Values.Where(c => c.Status == CellStatus.Queued).ToList())
        {
            _cells[cell.TrialKey] = cell with { Status = CellStatus.Cancelled };
        }

        return running.Count;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var summary = (await store.SweepsAsync(SweepId, cancellationToken)).SingleOrDefault();
        _cancelled = summary?.Cancelled ?? false;
        var trials = await store.TrialsAsync(SweepId, cancellationToken: cancellationToken);
        foreach (var t in trials)
        {
            var state = new CellState(t.Key, t.Status, t.Attempt, t.Device, t.Epoch, t.TrainLoss, t.BestValidation);
            _cells[t.Key] = _cells.TryGetValue(t.Key, out var live)
                ? Merge(live, state)
                : new CellProgress(t.Key, Label(t), (CellStatus)(int)t.Status, t.Attempt, t.Device, t.Epoch, 0, 0, t.TrainLoss, null, t.BestValidation, null, MaxEpochs(t.ResolvedConfig));
        }

        _order = _cells.Values.OrderBy(c => c.Label, StringComparer.Ordinal).Select(c => c.TrialKey).ToList();
    }

    // Between full loads, only the status columns: a cancel from another shell, or cells another client added.
    private async Task FollowStoreAsync(CancellationToken cancellationToken)
    {
        var states = await store.CellStatesAsync(SweepId, cancellationToken);
        if (states.Any(s => !_cells.ContainsKey(s.Key)))
        {
            await LoadAsync(cancellationToken);
            return;
        }

        _cancelled = (await store.SweepsAsync(SweepId, cancellationToken)).SingleOrDefault()?.Cancelled ?? false;
        foreach (var state in states)
        {
            _cells[state.Key] = Merge(_cells[state.Key], state);
        }
    }

    // The store is the truth, except that a running cell keeps the live detail its device reported.
    private static CellProgress Merge(CellProgress live, CellState stored)
    {
        var status = (CellStatus)(int)stored.Status;
        return live.Status == CellStatus.Running && status == CellStatus.Running && live.Attempt == stored.Attempt
            ? live
            : live with
            {
                Status = status, Attempt = stored.Attempt, Device = stored.Device, Epoch = stored.Epoch, Step = 0, StepsInEpoch = 0,
                Loss = stored.TrainLoss, Metric = stored.BestValidation ?? live.Metric,
            };
    }

    private void Update(string trialKey, Func<CellProgress, CellProgress> change)
    {
        if (_cells.TryGetValue(trialKey, out var cell))
        {
            _cells[trialKey] = change(cell);
        }
    }

    private static string Label(TrialRow t) =>
        FormattableString.Invariant($"{Path.GetFileName(Path.TrimEndingDirectorySeparator(t.Backbone))} {DatasetLabel(t.Dataset)} lr={t.LearningRate:G3} seed={t.Seed}");

    private static string DatasetLabel(string dataset)
    {
        var query = dataset.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? dataset : dataset[..query];
    }

    private static int? MaxEpochs(string resolvedConfig)
    {
        using var document = JsonDocument.Parse(resolvedConfig);
        return document.RootElement.TryGetProperty("MaxEpochs", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
    }
}
