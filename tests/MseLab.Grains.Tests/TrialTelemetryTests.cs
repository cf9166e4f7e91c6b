using System.Diagnostics;
using System.Diagnostics.Metrics;
using MseLab.Cluster.Client;
using MseLab.Experiments.Trials;
using MseLab.Grains.Telemetry;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>What a trial attempt looks like to OpenTelemetry: its spans, their nesting and tags, and the counters and gauges.</summary>
public sealed class TrialTelemetryTests : IDisposable
{
    private const string Device = "host-a/cpu:0";
    private static readonly ClaimedTrial Claimed = new(new TrialLease("sweep-t", "trial-t", 2), """{"Backbone":"tiny","Dataset":"synthetic:mosei","Seed":1}""", "tiny", "synthetic:mosei");

    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;
    private readonly MeterListener _meters = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly TrialTelemetry _telemetry = new();

    public TrialTelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TrialTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TrialTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    public void Run_TwoEpochsAndATest_OneSpanPerEpochWithAValidateChildUnderTheRunSpan()
    {
        using (var run = _telemetry.StartRun(Device, Claimed))
        {
            foreach (var epoch in new[] { 1, 2 })
            {
                run.Report(new TrialEpochUpdate(Claimed.Key, epoch, 1, 2, 0.9, null, null, 0, TrialPhase.Training, 64));
                run.Report(new TrialEpochUpdate(Claimed.Key, epoch, 2, 2, 0.8, null, null, 0, TrialPhase.Training, 64));
                run.Report(new TrialEpochUpdate(Claimed.Key, epoch, 2, 2, 0.8, "has0_acc2", null, 0, TrialPhase.Validating));
                run.Report(new TrialEpochUpdate(Claimed.Key, epoch, 2, 2, 0.8, "has0_acc2", 0.5 + epoch / 10.0, 0, TrialPhase.Validating));
            }

            run.Report(new TrialEpochUpdate(Claimed.Key, 2, 0, 0, null, "has0_acc2", null, 0, TrialPhase.Testing));
            run.End(TrialRunOutcome.Succeeded, null);
        }

        var root = Assert.Single(_spans, s => s.DisplayName == "trial run");
        Assert.Equal(("sweep-t", "trial-t", 2, Device, "tiny", "synthetic:mosei", "Succeeded"), (
            root.GetTagItem("mselab.sweep"), root.GetTagItem("mselab.trial"), root.GetTagItem("mselab.attempt"), root.GetTagItem("mselab.device"),
            root.GetTagItem("mselab.backbone"), root.GetTagItem("mselab.dataset"), root.GetTagItem("mselab.outcome")));
        var epochs = _spans.Where(s => s.DisplayName.StartsWith("epoch ", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["epoch 1", "epoch 2"], epochs.Select(e => e.DisplayName));
        Assert.All(epochs, e => Assert.Equal(root.SpanId, e.ParentSpanId));
        Assert.Equal([0.6, 0.7], epochs.Select(e => (double)e.GetTagItem("mselab.validation")!));
        var validations = _spans.Where(s => s.DisplayName == "validate").ToList();
        Assert.Equal(epochs.Select(e => e.SpanId), validations.Select(v => v.ParentSpanId));
        Assert.Equal(root.SpanId, Assert.Single(_spans, s => s.DisplayName == "test").ParentSpanId);
        Assert.All(_spans, s => Assert.Equal(root.TraceId, s.TraceId));
    }

    [Fact]
    public void Run_Succeeded_CountedWithSweepBackboneAndDatasetAndTheDeviceIsFreeAgain()
    {
        using (var run = _telemetry.StartRun(Device, Claimed))
        {
            run.Report(new TrialEpochUpdate(Claimed.Key, 1, 1, 2, 0.9, null, null, 0, TrialPhase.Training, 64));
            _meters.RecordObservableInstruments();
            Assert.Contains(_measurements, m => m.Name == "mselab.trial.samples_per_second" && m.Value == 64 && (string?)m.Tags["trial"] == "trial-t");
            Assert.Contains(_measurements, m => m.Name == "mselab.trial.loss" && m.Value == 0.9);
            run.Report(new TrialEpochUpdate(Claimed.Key, 1, 2, 2, 0.8, "has0_acc2", 0.75, 0, TrialPhase.Validating));
            run.End(TrialRunOutcome.Succeeded, null);
        }

        var succeeded = Assert.Single(_measurements, m => m.Name == "mselab.trials.succeeded");
        Assert.Equal((1.0, "sweep-t", "tiny", "synthetic:mosei"), (succeeded.Value, succeeded.Tags["sweep"], succeeded.Tags["backbone"], succeeded.Tags["dataset"]));
        Assert.Equal([1.0, -1.0], _measurements.Where(m => m.Name == "mselab.trials.running").Select(m => m.Value));
        Assert.Single(_measurements, m => m.Name == "mselab.epoch.duration");

        _measurements.Clear();
        _meters.RecordObservableInstruments();
        Assert.DoesNotContain(_measurements, m => m.Name == "mselab.trial.loss");   // nothing runs on the device any more
        Assert.Contains(_measurements, m => m.Name == "mselab.device.busy.time" && (string?)m.Tags["device"] == Device && m.Value > 0);
    }

    [Fact]
    public void Run_Retrying_CountedAsRetriedWithAnErrorStatus()
    {
        using (var run = _telemetry.StartRun(Device, Claimed))
        {
            run.End(TrialRunOutcome.Retrying, "disk full");
        }

        Assert.Single(_measurements, m => m.Name == "mselab.trials.retried");
        Assert.DoesNotContain(_measurements, m => m.Name is "mselab.trials.failed" or "mselab.trials.succeeded");
        var root = Assert.Single(_spans);
        Assert.Equal((ActivityStatusCode.Error, "disk full"), (root.Status, root.StatusDescription));
    }

    [Fact]
    public void StartQueued_UnderASubmission_StartsANewTraceLinkedToIt()
    {
        using var submission = new ActivitySource(TrialTelemetry.Name).StartActivity("submit")!;
        var cell = new QueuedCell(new TrialLease("sweep-t", "trial-t", 1), 0, "cpu", 0, null, "tiny", "synthetic:mosei");
        using var dispatch = new DispatchTelemetry();

        using (var queued = dispatch.StartQueued(cell))
        {
            Assert.NotNull(queued);
            Assert.Same(queued, Activity.Current);
            Assert.NotEqual(submission.TraceId, queued.TraceId);
            Assert.Equal(submission.Context, Assert.Single(queued.Links).Context);
            Assert.Equal("trial-t", queued.GetTagItem("mselab.trial"));
        }

        Assert.Contains(_measurements, m => m.Name == "mselab.trials.queued" && (string?)m.Tags["backbone"] == "tiny");
    }

    [Fact]
    public void NvidiaSmiOutput_MiBPerIndex_ParsedToBytes()
    {
        var used = NvidiaSmiMemory.Parse("0, 1024\n1, 81559\n\nnot a line\n");

        Assert.Equal(new Dictionary<int, long> { [0] = 1024L << 20, [1] = 81559L << 20 }, used);
    }

    [Fact]
    public void NvidiaSmiMemory_WithoutTheTool_ReportsNothing()
    {
        var memory = new NvidiaSmiMemory("/nonexistent/nvidia-smi");

        Assert.Null(memory.Used("host-a/cuda:0"));
        Assert.Null(memory.Used("host-a/cpu:0"));
    }

    [Fact]
    public async Task NvidiaSmiMemory_OfASlot_IsItsDevicesFigure()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("a shell script stands in for nvidia-smi");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("mselab-smi-");
        try
        {
            var tool = Path.Combine(folder.FullName, "nvidia-smi");
            await File.WriteAllTextAsync(tool, "#!/bin/sh\nprintf '0, 1024\\n1, 2048\\n'\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var memory = new NvidiaSmiMemory(tool);

            // The first call starts the background read.
            for (var i = 0; i < 200 && memory.Used("host-a/cuda:1") is null; i++)
            {
                await Task.Delay(25, TestContext.Current.CancellationToken);
            }

            Assert.Equal(2048L << 20, memory.Used("host-a/cuda:1"));
            Assert.Equal(2048L << 20, memory.Used("host-a/cuda:1#2"));
            Assert.Equal(1024L << 20, memory.Used("host-a/cuda:0#3"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void MemoryUsed_OfACudaSlot_AsksForTheCudaFigure()
    {
        using var telemetry = new TrialTelemetry { CudaMemory = device => DeviceSlots.TorchDeviceOf(device) == "cuda:1" ? 7L << 30 : null };
        using (telemetry.StartRun("host-a/cuda:1#2", Claimed))
        {
            _meters.RecordObservableInstruments();
        }

        Assert.Contains(_measurements, m => m.Name == "mselab.device.memory.used" && (string?)m.Tags["device"] == "host-a/cuda:1#2" && m.Value == 7L << 30);
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }
}
