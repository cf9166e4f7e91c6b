using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MseLab.Cluster.Tests.Infrastructure;

/// <summary>A real Prometheus server (Debian's <c>prometheus</c> package) on loopback, scraping the given targets every second.</summary>
internal sealed class PrometheusServer : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string PromTool = "/usr/bin/promtool";

    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public PrometheusServer(string directory, IEnumerable<string> targets)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install Debian's prometheus package (scripts/test.sh does).");
        }

        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: mselab-workers
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        Address = $"127.0.0.1:{FreePort()}";
        _process = Process.Start(new ProcessStartInfo(Binary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "tsdb")}", $"--web.listen-address={Address}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start prometheus");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Address { get; }

    /// <summary>Waits until the server answers <c>/-/ready</c>; fails if it exited or never did.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var ready = await _http.GetAsync(new Uri($"http://{Address}/-/ready"), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                // still starting
            }

            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"Prometheus at {Address} not ready within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}).");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>An instant PromQL query: the first sample's value, or null when the result is empty.</summary>
    public async Task<double?> QueryAsync(string promQl, CancellationToken cancellationToken)
    {
        var url = new Uri($"http://{Address}/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        using var json = JsonDocument.Parse(await _http.GetStringAsync(url, cancellationToken));
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Whether every target's last scrape succeeded (up == 1).</summary>
    public async Task<bool> TargetsUpAsync(CancellationToken cancellationToken) =>
        await QueryAsync("min(up{job=\"mselab-workers\"})", cancellationToken) == 1;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        _http.Dispose();
    }
}
