using System.Diagnostics;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Grains.Telemetry;

/// <summary>
/// One attempt on one device, as telemetry sees it: its span, a child span per epoch and per evaluation, and the live
/// figures (speed, loss, validation metric) that the gauges read. Progress arrives on the training thread.
/// </summary>
public sealed class RunningTrial : IDisposable
{
    private readonly TrialTelemetry _telemetry;
    private readonly Activity? _run;
    private readonly Lock _lock = new();
    private Activity? _phase;
    private Activity? _evaluation;
    private string? _phaseName;
    private int _epoch = -1;
    private DateTime _epochStarted;
    private (DateTime At, int Step, int Epoch)? _lastStep;
    private TrialRunOutcome? _outcome;

    internal RunningTrial(TrialTelemetry telemetry, string device, ClaimedTrial trial, string backbone, string dataset, Activity? run, DateTime now)
    {
        (_telemetry, Device, Trial, Backbone, Dataset, _run, _epochStarted) = (telemetry, device, trial, backbone, dataset, run, now);
    }

    public string Device { get; }

    public ClaimedTrial Trial { get; }

    public string Backbone { get; }

    public string Dataset { get; }

    public double? StepsPerSecond { get; private set; }

    public double? SamplesPerSecond { get; private set; }

    public double? Loss { get; private set; }

    public double? Validation { get; private set; }

    /// <summary>A progress report: opens an epoch span per epoch (training, then its validation) and a test span at the end.</summary>
    public void Report(TrialEpochUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            var now = _telemetry.Clock();
            Loss = update.Loss ?? Loss;
            if (update.SamplesPerSecond > 0)
            {
                SamplesPerSecond = update.SamplesPerSecond;
            }

            if (update.Phase == TrialPhase.Training && _lastStep is { } last && last.Epoch == update.Epoch && update.Step > last.Step && now > last.At)
            {
                StepsPerSecond = (update.Step - last.Step) / (now - last.At).TotalSeconds;
            }

            _lastStep = (now, update.Step, update.Epoch);
            if (update.Phase == TrialPhase.Training && update.Epoch != _epoch)
            {
                StartPhase($"epoch {update.Epoch}", update.Epoch, now);
                _epochStarted = now;
            }
            else if (update.Phase == TrialPhase.Testing && _phaseName != "test")
            {
                StartPhase("test", update.Epoch, now);
            }

            if (update.Phase == TrialPhase.Validating && update.Metric is null && _evaluation is null && _phase is not null)
            {
                _evaluation = TrialInstruments.Source.StartActivity("validate", ActivityKind.Internal, _phase.Context, startTime: now);
                _evaluation?.SetTag("mselab.trial", Trial.Key).SetTag("mselab.epoch", update.Epoch);
            }

            if (update.Metric is { } metric)
            {
                _evaluation?.SetTag("mselab.validation", metric).Dispose();
                _evaluation = null;
                Validation = metric;
                _phase?.SetTag("mselab.validation", metric).SetTag("mselab.metric", update.MetricName);
                _phase?.AddEvent(new ActivityEvent("validated", tags: new ActivityTagsCollection { ["mselab.metric"] = update.MetricName, ["mselab.value"] = metric }));
                if (update.Epoch == _epoch)
                {
                    _telemetry.EpochEnded(this, (now - _epochStarted).TotalSeconds);
                    EndPhase();
                }
            }
        }
    }

    /// <summary>How the attempt ended (counted on <see cref="Dispose"/>).</summary>
    public void End(TrialRunOutcome outcome, string? error)
    {
        _outcome = outcome;
        _run?.SetTag("mselab.outcome", outcome.ToString());
        if (outcome is TrialRunOutcome.Failed or TrialRunOutcome.Retrying)
        {
            _run?.SetStatus(ActivityStatusCode.Error, error);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            EndPhase();
        }

        _telemetry.Ended(this, _outcome ?? TrialRunOutcome.Interrupted);
        _run?.Dispose();
    }

    private void StartPhase(string name, int epoch, DateTime now)
    {
        EndPhase();
        (_phaseName, _epoch) = (name, epoch);
        _phase = TrialInstruments.Source.StartActivity(name, ActivityKind.Internal, _run?.Context ?? default, startTime: now);
        _phase?.SetTag("mselab.trial", Trial.Key).SetTag("mselab.attempt", Trial.Attempt).SetTag("mselab.epoch", epoch);
    }

    private void EndPhase()
    {
        _evaluation?.Dispose();
        _evaluation = null;
        _phase?.Dispose();
        (_phase, _phaseName) = (null, null);
    }
}
