using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MseLab.TestSupport;

namespace MseLab.AppHost.Tests;

/// <summary>
/// `dotnet run --project AppHost` in the no-containers mode: every resource becomes healthy (the migration service
/// completes), a sweep submitted through the API runs on the Orleans workers, and the dashboard lists the resources and
/// shows the sweep's traces and metrics; the api resource's "Results" link opens the results page.
/// </summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Servers = ["results", "messaging", "membership"];
    private static readonly string[] Services = ["worker", "api"];
    private static readonly string AdminSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    [Fact]
    public async Task AppHost_ExistingServers_EveryResourceHealthyASweepRunsThroughTheApiAndTheDashboardListsThem()
    {
        var token = TestContext.Current.CancellationToken;
        var lab = LabServers.Create();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MseLab_AppHost>(
            [
                "Servers=existing", "Workers=2",
                $"ConnectionStrings:results={lab.Postgres}", $"ConnectionStrings:messaging={lab.RabbitMq}", $"ConnectionStrings:membership={lab.Redis}",
                $"ASPNETCORE_URLS=http://localhost:{LabServers.FreePort()}",
                $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{LabServers.FreePort()}",
                $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{LabServers.FreePort()}",
                "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
                $"Parameters:api-admin-token={AdminSecret}",
            ],
            (options, _) => options.DisableDashboard = false,
            token);
        await using var app = await builder.BuildAsync(token).WaitAsync(StartTimeout, token);
        await app.StartAsync(token).WaitAsync(StartTimeout, token);

        foreach (var server in Servers)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(server, token).WaitAsync(StartTimeout, token);
        }

        var migrated = await app.ResourceNotifications.WaitForResourceAsync("migrations", KnownResourceStates.TerminalStates, token).WaitAsync(StartTimeout, token);
        Assert.Equal(KnownResourceStates.Finished, migrated);
        foreach (var service in Services)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, token).WaitAsync(StartTimeout, token);
        }

        using var api = app.CreateHttpClient("api");
        using var body = new StringContent(Sweep("through-api"), Encoding.UTF8, "application/yaml");
        // Writes need a token: without one 401, with the AppHost's admin secret parameter accepted (reads stay open).
        var anonymous = await api.PostAsync(new Uri("/api/sweeps", UriKind.Relative), new StringContent(Sweep("anonymous"), Encoding.UTF8, "application/yaml"), token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminSecret);
        var submitted = await api.PostAsync(new Uri("/api/sweeps", UriKind.Relative), body, token);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(token));
        var finished = await WaitForFinishedAsync(api, "through-api", token);
        Assert.All(finished.GetProperty("cells").EnumerateArray(), c => Assert.Equal("Succeeded", c.GetProperty("status").GetString()));
        var results = await api.GetFromJsonAsync<JsonElement>(new Uri("/api/sweeps/through-api/results", UriKind.Relative), token);
        Assert.Equal(2, results[0].GetProperty("n").GetInt32());

        // The dashboard's "Results" link on the api resource opens the results page.
        var apiResource = await app.ResourceNotifications.WaitForResourceAsync("api", e => e.Snapshot.Urls.Any(IsResultsLink), token).WaitAsync(StartTimeout, token);
        using var browser = new HttpClient();
        var resultsPage = await browser.GetStringAsync(new Uri(apiResource.Snapshot.Urls.Single(IsResultsLink).Url), token);
        Assert.Contains("<title>MseLab results</title>", resultsPage, StringComparison.Ordinal);

        var bad = await api.PostAsync(new Uri("/api/sweeps", UriKind.Relative), new StringContent("name: [oops", Encoding.UTF8, "application/yaml"), token);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync(token);
        Assert.Contains("request body:", problem, StringComparison.Ordinal);   // FILE:LINE:COLUMN, as the command line says it
        Assert.Contains("not valid YAML", problem, StringComparison.Ordinal);

        var dashboard = app.GetEndpoint("aspire-dashboard", "http").ToString();   // the testing builder picks its ports
        // The dashboard: every resource listed, the attempts' traces, the workers' trial metrics (screenshots kept).
        var screenshots = Path.Combine(LabServers.ArtifactsDirectory(), "dashboard");
        var page = LabServers.Screenshot(dashboard, screenshots, [.. Servers, "migrations", .. Services]);
        Assert.True(new FileInfo($"{screenshots}-resources.png").Length > 10_000, "no screenshot of the dashboard");
        Assert.Contains("TRACES OK", page, StringComparison.Ordinal);
        Assert.Contains("METRICS OK worker-", page, StringComparison.Ordinal);
        Assert.All(new[] { "results", "messaging", "membership", "migrations", "worker", "api" }, name => Assert.Contains(name, page, StringComparison.Ordinal));
        Assert.Contains("Finished", page, StringComparison.Ordinal);       // the migration service
        Assert.DoesNotContain("Unhealthy", page, StringComparison.Ordinal);
    }

    private static bool IsResultsLink(UrlSnapshot url) => url.DisplayProperties.DisplayName == "Results";

    private static async Task<JsonElement> WaitForFinishedAsync(HttpClient api, string sweep, CancellationToken token)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var progress = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/sweeps/{sweep}", UriKind.Relative), token);
            last = progress.ToString();
            if (progress.GetProperty("finished").GetBoolean())
            {
                return progress;
            }

            await Task.Delay(1000, token);
        }

        throw new TimeoutException($"sweep {sweep} did not finish; last progress: {last}");
    }

    private static string Sweep(string name) => $"""
        name: {name}
        base:
          warm_up_epochs: 2
          max_epochs: 2
        backbones: ["{TinyBackbones.Directory}"]
        datasets: ["synthetic:mosei?train=32&valid=16&test=16"]
        seeds: [1, 2]
        resources: {"{"}device: cpu, memory_gb: 1{"}"}
        """;
}
