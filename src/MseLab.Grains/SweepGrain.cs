using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Grains;

/// <summary>
/// A sweep's live progress. The store is the system of record: the grain loads every cell on first use and on
/// <see cref="RefreshAsync"/>, then follows device reports in memory (and the store's status columns, slowly).
/// </summary>
public sealed class SweepGrain(ResultQueries queries, SweepSubmissions submissions) : Grain, ISweepGrain
{
    private readonly Dictionary<string, CellProgress> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _epochStarted = new(StringComparer.Ordinal);
    private List<string> _order = [];   // cells by label, so that reading progress never sorts
    private bool _cancelled;
    private bool _loaded;

    private string SweepId => this.GetPrimaryKeyString();

    // Other processes change the store too (a cancel from another shell, another client's submission): follow it slowly.
    private static readonly TimeSpan StoreRefresh = TimeSpan.FromSeconds(5);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FollowStoreAsync, new GrainTimerCreationOptions(StoreRefresh, StoreRefresh) { KeepAlive = false });
        return Task.CompletedTask;
    }

    public Task RefreshAsync() => LoadAsync(CancellationToken.None);

    public async Task<SweepProgress> GetProgressAsync()
    {
        await EnsureLoadedAsync();
        return new SweepProgress(SweepId, _cancelled, _order.ConvertAll(key => _cells[key]));
    }

    public async Task ReportAsync(IReadOnlyList<CellEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        await EnsureLoadedAsync();   // the first call to reach this activation may be a report
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case CellEventKind.Started:
                    Started(e.TrialKey, e.Attempt, e.Device ?? "");
                    break;
                case CellEventKind.Progressed when e.Progress is { } update:
                    Progressed(update with { Attempt = e.Attempt });
                    break;
                case CellEventKind.Finished when e.Status is { } status:
                    Finished(e.TrialKey, e.Attempt, status);
                    break;
            }
        }
    }

    private void Started(string trialKey, int attempt, string device)
    {
        // Reports from different silos are not ordered: this attempt's first epoch report, or even its end, may have landed already.
        if (_cells.TryGetValue(trialKey, out var cell) && (cell.Attempt > attempt || (cell.Attempt == attempt && AlreadyReported(cell.Status, cell.Epoch))))
        {
            return;
        }

        Update(trialKey, c => c with { Status = TrialStatus.Running, Attempt = attempt, Device = device, Epoch = 0, Step = 0, Loss = null });
        _epochStarted[trialKey] = DateTime.UtcNow;
    }

    private static bool AlreadyReported(TrialStatus status, int epoch) =>
        status is TrialStatus.Succeeded or TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Pruned || (status == TrialStatus.Running && epoch > 0);

    private void Progressed(TrialEpochUpdate update) =>
        Update(update.TrialKey, c =>
        {
            if (c.Status is not (TrialStatus.Running or TrialStatus.Queued) || (update.Attempt > 0 && update.Attempt != c.Attempt)
                || (c.Status == TrialStatus.Queued && update.Attempt == 0))
            {
                return c;   // a late report: the cell ended, or this attempt was replaced by another
            }

            // Queued with this very attempt: the report overtook the attempt's 'started' (reports from silos are not ordered).
            var next = c with { Status = TrialStatus.Running, Device = update.Device ?? c.Device, Epoch = update.Epoch, Step = update.Step, StepsInEpoch = update.StepsInEpoch, Loss = update.Loss ?? c.Loss };
            if (update.Metric is { } metric)
            {
                var now = DateTime.UtcNow;
                var seconds = _epochStarted.TryGetValue(update.TrialKey, out var started) ? (now - started).TotalSeconds : (double?)null;
                _epochStarted[update.TrialKey] = now;
                next = next with { MetricName = update.MetricName, Metric = metric, SecondsPerEpoch = seconds };
            }

            return next;
        });

    private void Finished(string trialKey, int attempt, TrialStatus status) =>
        Update(trialKey, c => c with { Status = status, Attempt = status == TrialStatus.Queued ? attempt + 1 : attempt });

    public async Task<int> CancelAsync()
    {
        var running = await submissions.CancelAsync(SweepId);
        _cancelled = true;
        await Task.WhenAll(running.Where(c => c.Device is not null).Select(c => GrainFactory.GetGrain<IDeviceWorkerGrain>(c.Device!).CancelAsync(SweepId, c.Key)));

        foreach (var cell in _cells.Values.Where(c => c.Status == TrialStatus.Queued).ToList())
        {
            _cells[cell.TrialKey] = cell with { Status = TrialStatus.Cancelled };
        }

        return running.Count;
    }

    private async Task EnsureLoadedAsync()
    {
        if (!_loaded)
        {
            await LoadAsync(CancellationToken.None);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _cancelled = await queries.SweepCancelledAsync(SweepId, cancellationToken);
        var trials = await queries.TrialsAsync(SweepId, withTestMetrics: false, cancellationToken: cancellationToken);
        foreach (var t in trials)
        {
            var state = new CellState(t.Key, t.Status, t.Attempt, t.Device, t.Epoch, t.TrainLoss, t.BestValidation);
            _cells[t.Key] = _cells.TryGetValue(t.Key, out var live)
                ? Merge(live, state)
                : new CellProgress(t.Key, Label(t), t.Status, t.Attempt, t.Device, t.Epoch, 0, 0, t.TrainLoss, null, t.BestValidation, null, t.MaxEpochs);
        }

        _order = _cells.Values.OrderBy(c => c.Label, StringComparer.Ordinal).Select(c => c.TrialKey).ToList();
        _loaded = true;
    }

    // Between full loads, only the status columns: a cancel from another shell, or cells another client added.
    private async Task FollowStoreAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            await LoadAsync(cancellationToken);
            return;
        }

        var states = await queries.CellStatesAsync(SweepId, cancellationToken);
        if (states.Any(s => !_cells.ContainsKey(s.Key)))
        {
            await LoadAsync(cancellationToken);
            return;
        }

        _cancelled = await queries.SweepCancelledAsync(SweepId, cancellationToken);
        foreach (var state in states)
        {
            _cells[state.Key] = Merge(_cells[state.Key], state);
        }
    }

    // The store is the truth, except that a running cell keeps the live detail its device reported.
    private static CellProgress Merge(CellProgress live, CellState stored)
    {
        var status = stored.Status;
        return live.Status == TrialStatus.Running && status == TrialStatus.Running && live.Attempt == stored.Attempt
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

    private static string DatasetLabel(string dataset) => DatasetRef.Display(dataset);
}
