using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace MseLab.AppHost.Tests;

/// <summary>
/// The AppHost's model, built but never started (no server is dialled: the connection strings below go nowhere): the
/// <c>api</c> resource carries a "Results" link to the results page on its http endpoint, as the dashboard shows it.
/// </summary>
public sealed class DashboardLinkTests
{
    [Fact]
    public async Task Api_Urls_IncludeTheResultsPageOnItsHttpEndpoint()
    {
        var token = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MseLab_AppHost>(
            ["Servers=existing", "ConnectionStrings:results=Host=127.0.0.1;Port=1", "ConnectionStrings:messaging=amqp://127.0.0.1:1", "ConnectionStrings:membership=127.0.0.1:1"],
            token);
        var api = (ProjectResource)builder.Resources.Single(r => r.Name == "api");
        var http = api.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");

        // What the orchestrator does once ports are allocated: one URL per endpoint, then the resource's URL callbacks.
        http.AllocatedEndpoint = new AllocatedEndpoint(http, "localhost", 5280);
        var urls = new List<ResourceUrlAnnotation> { new() { Url = "http://localhost:5280", Endpoint = new EndpointReference(api, http) } };
        var context = new ResourceUrlsCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), api, urls, token);
        foreach (var callback in api.Annotations.OfType<ResourceUrlsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        var results = Assert.Single(urls, u => u.DisplayText == "Results");
        Assert.Equal("http://localhost:5280/results/", results.Url);
        Assert.Contains(urls, u => u.Url == "http://localhost:5280" && u.DisplayText != "Results");   // the API's own address stays
    }
}
