using System.Diagnostics;
using System.Diagnostics.Metrics;
using MseLab.Grains;
using MseLab.Store.Records;

namespace MseLab.Cluster.Client;

/// <summary>
/// The dispatcher's part of MseLab's trial telemetry (<see cref="TrialInstruments"/>): the queued counter, and the root
/// span of each attempt's trace, started when its message is sent and linked to whatever submitted it.
/// </summary>
public sealed class DispatchTelemetry : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _queued;

    public DispatchTelemetry(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(TrialInstruments.Name) ?? new Meter(TrialInstruments.Name);
        _queued = _meter.CreateCounter<long>("mselab.trials.queued", "{trial}", "Trial attempts sent to the queue");
    }

    /// <summary>
    /// A trial attempt enters the queue: the root span of its trace, linked to whatever submitted it, and made current so
    /// that the send joins it. The caller puts its own current activity back after the send.
    /// </summary>
    public Activity? StartQueued(QueuedCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        _queued.Add(1, new TagList { { "sweep", cell.Lease.SweepId }, { "backbone", cell.Backbone }, { "dataset", cell.Dataset } });
        var submitter = Activity.Current;
        Activity.Current = null;   // a new trace per attempt, not one trace per sweep (a sweep may run for days)
        var activity = TrialInstruments.Source.StartActivity(
            "trial queued",
            ActivityKind.Producer,
            default(ActivityContext),
            links: submitter is null ? null : [new ActivityLink(submitter.Context)]);
        return activity?.SetTag("mselab.sweep", cell.Lease.SweepId)
            .SetTag("mselab.trial", cell.Lease.Key)
            .SetTag("mselab.attempt", cell.Lease.Attempt)
            .SetTag("mselab.device_kind", cell.DeviceKind)
            .SetTag("mselab.backbone", cell.Backbone)
            .SetTag("mselab.dataset", cell.Dataset);
    }

    public void Dispose() => _meter.Dispose();
}
