using System.Globalization;
using MseLab.Cluster.Tests.Infrastructure;
using MseLab.Experiments.Trials;
using MseLab.TestSupport;

namespace MseLab.Cluster.Tests;

/// <summary>A worker's Prometheus endpoint, checked by promtool and scraped by a real Prometheus server during a sweep.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task WorkerMetrics_DuringASmallSweep_PassPromtoolAndPrometheusCountsEveryTrial()
    {
        var token = TestContext.Current.CancellationToken;
        using var lab = new Lab();
        var port = PrometheusServer.FreePort();
        await lab.StartWorkerAsync("host-a", "--http", $"http://127.0.0.1:{port}");
        using var prometheus = new PrometheusServer(lab.Directory, [$"127.0.0.1:{port}"]);
        await prometheus.WaitReadyAsync(TimeSpan.FromSeconds(60), token);
        await lab.WaitForAsync(async () => await prometheus.TargetsUpAsync(token) ? "up" : null, TimeSpan.FromSeconds(60), "Prometheus to scrape the worker");

        lab.Submit(lab.WriteSweep("observed", seeds: "[1, 2]", epochs: 2, train: 96));
        using var http = new HttpClient();
        var metrics = new Uri($"http://127.0.0.1:{port}/metrics");
        // While a trial runs: its own gauges (speed, loss, validation metric), labelled with the trial.
        var running = await lab.WaitForAsync(
            async () =>
            {
                var text = await http.GetStringAsync(metrics, token);
                return text.Contains("mselab_trial_samples_per_second{", StringComparison.Ordinal) && text.Contains("mselab_trial_validation{", StringComparison.Ordinal) ? text : null;
            },
            TimeSpan.FromMinutes(2),
            "a running trial's gauges on /metrics",
            TimeSpan.FromMilliseconds(100));
        Assert.Contains("sweep=\"observed\"", running, StringComparison.Ordinal);
        var trials = await lab.WaitForEndAsync("observed", TimeSpan.FromMinutes(3));
        Assert.All(trials, t => Assert.Equal(TrialStatus.Succeeded, t.Status));

        var exposition = await http.GetStringAsync(metrics, token);
        var check = ChildProcess.Run(PrometheusServer.PromTool, ["check", "metrics"], input: exposition, timeout: TimeSpan.FromSeconds(30));
        Assert.True(check.ExitCode == 0, $"promtool check metrics: {check.StandardOutput}{check.StandardError}");
        foreach (var name in new[] { "mselab_device_busy_fraction", "mselab_device_memory_used_bytes", "mselab_queue_depth", "mselab_epoch_duration_seconds_bucket" })
        {
            Assert.Contains(name, exposition, StringComparison.Ordinal);
        }

        // What a lab's dashboard would ask: trials succeeded by sweep, and epochs timed (2 trials x 2 epochs).
        var succeeded = await lab.WaitForAsync(
            async () => await prometheus.QueryAsync("sum(mselab_trials_succeeded_total{sweep=\"observed\"})", token) is 2 ? "2" : null,
            TimeSpan.FromSeconds(30),
            "Prometheus to count 2 succeeded trials");
        Assert.Equal("2", succeeded);
        var epochs = await prometheus.QueryAsync("sum(mselab_epoch_duration_seconds_count{sweep=\"observed\",backbone!=\"\"})", token);
        Assert.Equal(4, epochs);
        Assert.Equal(0, await prometheus.QueryAsync("sum(mselab_trials_failed_total{sweep=\"observed\"}) or vector(0)", token));
        var busy = await prometheus.QueryAsync("max(mselab_device_busy_time_seconds_total)", token);
        Assert.True(busy > 0, string.Create(CultureInfo.InvariantCulture, $"busy time {busy}"));
    }
}
