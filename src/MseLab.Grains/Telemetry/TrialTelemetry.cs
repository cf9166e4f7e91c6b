using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MseLab.Store.Records;

namespace MseLab.Grains.Telemetry;

/// <summary>
/// A silo's metrics and traces of the trials its devices run (meter and activity source <see cref="TrialInstruments.Name"/>;
/// the queued counter and each attempt's root span are the dispatcher's): trial outcomes by sweep, backbone and dataset,
/// what each device is doing, the queue depth, and a run span with a child per epoch. One instance per process; device
/// workers report into it, exporters (Prometheus, OTLP) read it.
/// </summary>
public sealed class TrialTelemetry : IDisposable
{
    public const string Name = TrialInstruments.Name;

    private readonly Meter _meter;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _pruned;
    private readonly UpDownCounter<long> _running;
    private readonly Histogram<double> _epochSeconds;
    private readonly ConcurrentDictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private long _queueDepth = -1;   // unknown until the first count
    private readonly TimeProvider _clock;

    public TrialTelemetry(IMeterFactory? meters = null, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _meter = meters?.Create(Name) ?? new Meter(Name);
        _succeeded = _meter.CreateCounter<long>("mselab.trials.succeeded", "{trial}", "Trials that finished with a result");
        _failed = _meter.CreateCounter<long>("mselab.trials.failed", "{trial}", "Trials that failed for good (no retry left, or not retryable)");
        _retried = _meter.CreateCounter<long>("mselab.trials.retried", "{trial}", "Failed attempts that were queued again");
        _cancelled = _meter.CreateCounter<long>("mselab.trials.cancelled", "{trial}", "Trials stopped by a sweep cancel");
        _pruned = _meter.CreateCounter<long>("mselab.trials.pruned", "{trial}", "Trial attempts stopped at a rung by the sweep's early-stopping rule (a promoted one runs again)");
        _running = _meter.CreateUpDownCounter<long>("mselab.trials.running", "{trial}", "Trials running on this process's devices");
        _epochSeconds = _meter.CreateHistogram<double>("mselab.epoch.duration", "s", "Wall time of one training epoch with its validation");
        _meter.CreateObservableGauge("mselab.queue.depth", ObserveQueueDepth, "{trial}", "Cells of every sweep waiting for a device (the same figure from every worker)");
        _meter.CreateObservableCounter("mselab.device.busy.time", () => ObserveDevices(d => d.BusySeconds(Now)), "s", "Time each device spent running trials");
        _meter.CreateObservableGauge("mselab.device.busy.fraction", () => ObserveDevices(d => d.BusyFraction(Now)), "1", "Share of the last minute each device spent running trials");
        _meter.CreateObservableGauge("mselab.device.memory.used", ObserveMemory, "By", "Memory in use on each device (CUDA allocations; on CPU, this process's working set)");
        _meter.CreateObservableGauge("mselab.trial.steps_per_second", () => ObserveRunning(r => r.StepsPerSecond), "{step}/s", "Training steps per second of each running trial");
        _meter.CreateObservableGauge("mselab.trial.samples_per_second", () => ObserveRunning(r => r.SamplesPerSecond), "{sample}/s", "Training samples per second of each running trial");
        _meter.CreateObservableGauge("mselab.trial.loss", () => ObserveRunning(r => r.Loss), "1", "Recent training loss of each running trial");
        _meter.CreateObservableGauge("mselab.trial.validation", () => ObserveRunning(r => r.Validation), "1", "Last validation metric of each running trial");
    }

    /// <summary>CUDA memory in use on a device, when the engine can tell (set by the host; null on CPU).</summary>
    public Func<string, long?>? CudaMemory { get; set; }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>A device starts a claimed attempt. Dispose the result when the attempt ends, however it ends.</summary>
    public RunningTrial StartRun(string device, ClaimedTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var (backbone, dataset) = (trial.Backbone, trial.Dataset);
        var activity = TrialInstruments.Source.StartActivity("trial run", ActivityKind.Internal);
        activity?.SetTag("mselab.sweep", trial.SweepId)
            .SetTag("mselab.trial", trial.Key)
            .SetTag("mselab.attempt", trial.Attempt)
            .SetTag("mselab.device", device)
            .SetTag("mselab.backbone", backbone)
            .SetTag("mselab.dataset", dataset);
        var running = new RunningTrial(this, device, trial, backbone, dataset, activity, Now);
        _devices.GetOrAdd(device, _ => new DeviceState()).Start(running, Now);
        _running.Add(1, Labels(trial.SweepId, backbone, dataset));
        return running;
    }

    /// <summary>The latest count of cells waiting in the store for a device (read by the lease sweeper).</summary>
    public void SetQueueDepth(int cells) => Interlocked.Exchange(ref _queueDepth, cells);

    public void Dispose() => _meter.Dispose();

    internal void Ended(RunningTrial run, TrialRunOutcome outcome)
    {
        var labels = Labels(run.Trial.SweepId, run.Backbone, run.Dataset);
        _running.Add(-1, labels);
        var counter = outcome switch
        {
            TrialRunOutcome.Succeeded => _succeeded,
            TrialRunOutcome.Failed => _failed,
            TrialRunOutcome.Retrying => _retried,
            TrialRunOutcome.Cancelled => _cancelled,
            TrialRunOutcome.Pruned => _pruned,
            _ => null,   // interrupted (handed back) or skipped (another attempt owns the cell): not an outcome of the cell
        };
        counter?.Add(1, labels);
        if (_devices.TryGetValue(run.Device, out var device))
        {
            device.Stop(run, Now);
        }
    }

    internal void EpochEnded(RunningTrial run, double seconds) =>
        _epochSeconds.Record(seconds, Labels(run.Trial.SweepId, run.Backbone, run.Dataset));

    internal DateTime Clock() => Now;

    private static TagList Labels(string sweep, string? backbone, string? dataset) =>
        new() { { "sweep", sweep }, { "backbone", backbone ?? "" }, { "dataset", dataset ?? "" } };

    private IEnumerable<Measurement<long>> ObserveQueueDepth()
    {
        var depth = Interlocked.Read(ref _queueDepth);
        return depth < 0 ? [] : [new Measurement<long>(depth)];
    }

    private IEnumerable<Measurement<double>> ObserveDevices(Func<DeviceState, double> value) =>
        _devices.Select(d => new Measurement<double>(value(d.Value), new KeyValuePair<string, object?>("device", d.Key)));

    private IEnumerable<Measurement<long>> ObserveMemory()
    {
        foreach (var device in _devices.Keys)
        {
            var used = DeviceSlots.TorchDeviceOf(device).StartsWith("cuda", StringComparison.Ordinal) ? CudaMemory?.Invoke(device) : Environment.WorkingSet;
            if (used is { } bytes)
            {
                yield return new Measurement<long>(bytes, new KeyValuePair<string, object?>("device", device));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveRunning(Func<RunningTrial, double?> value)
    {
        foreach (var (device, state) in _devices)
        {
            if (state.Current is { } run && value(run) is { } v && double.IsFinite(v))
            {
                yield return new Measurement<double>(v, new TagList
                {
                    { "device", device }, { "sweep", run.Trial.SweepId }, { "trial", run.Trial.Key }, { "attempt", run.Trial.Attempt },
                    { "backbone", run.Backbone }, { "dataset", run.Dataset },
                });
            }
        }
    }

    // Busy time of one device: total so far, and a one-minute window for the busy fraction.
    private sealed class DeviceState
    {
        private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
        private readonly Lock _lock = new();
        private readonly Queue<(DateTime Start, DateTime End)> _recent = new();
        private readonly DateTime _since = DateTime.UtcNow;
        private double _finishedSeconds;
        private DateTime? _busySince;

        public RunningTrial? Current { get; private set; }

        public void Start(RunningTrial run, DateTime now)
        {
            lock (_lock)
            {
                Current = run;
                _busySince = now;
            }
        }

        public void Stop(RunningTrial run, DateTime now)
        {
            lock (_lock)
            {
                if (Current != run || _busySince is not { } since)
                {
                    return;
                }

                _finishedSeconds += (now - since).TotalSeconds;
                _recent.Enqueue((since, now));
                (Current, _busySince) = (null, null);
            }
        }

        public double BusySeconds(DateTime now)
        {
            lock (_lock)
            {
                return _finishedSeconds + (_busySince is { } since ? (now - since).TotalSeconds : 0);
            }
        }

        public double BusyFraction(DateTime now)
        {
            lock (_lock)
            {
                var from = now - Window < _since ? _since : now - Window;
                while (_recent.Count > 0 && _recent.Peek().End <= from)
                {
                    _recent.Dequeue();
                }

                var busy = _recent.Sum(r => (r.End - (r.Start < from ? from : r.Start)).TotalSeconds);
                if (_busySince is { } since)
                {
                    busy += (now - (since < from ? from : since)).TotalSeconds;
                }

                var span = (now - from).TotalSeconds;
                return span <= 0 ? 0 : Math.Clamp(busy / span, 0, 1);
            }
        }
    }
}
