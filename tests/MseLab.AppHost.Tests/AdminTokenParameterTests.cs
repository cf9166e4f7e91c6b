using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace MseLab.AppHost.Tests;

/// <summary>
/// The AppHost's model, built but never started: a secret parameter <c>api-admin-token</c> (generated when not configured)
/// reaches the <c>api</c> resource as <c>Auth__AdminToken</c>, and only the API gets it.
/// </summary>
public sealed class AdminTokenParameterTests
{
    [Fact]
    public async Task Api_Environment_CarriesTheSecretAdminTokenParameter()
    {
        var token = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MseLab_AppHost>(
            ["Servers=existing", "ConnectionStrings:results=Host=127.0.0.1;Port=1", "ConnectionStrings:messaging=amqp://127.0.0.1:1", "ConnectionStrings:membership=127.0.0.1:1",
             "Parameters:api-admin-token=a-test-admin-secret-of-forty-characters!"],
            token);

        var parameter = (ParameterResource)builder.Resources.Single(r => r.Name == "api-admin-token");
        Assert.True(parameter.Secret);
        Assert.NotNull(parameter.Default);   // generated (and kept in user secrets) when not configured
        Assert.Equal("a-test-admin-secret-of-forty-characters!", await parameter.GetValueAsync(token));

        var api = await EnvironmentOfAsync(builder, "api", token);
        Assert.Same(parameter, api["Auth__AdminToken"]);
        foreach (var other in new[] { "worker", "migrations" })
        {
            Assert.DoesNotContain("Auth__AdminToken", (await EnvironmentOfAsync(builder, other, token)).Keys);
        }
    }

    // What the orchestrator does before it starts a project: run its environment callbacks.
    private static async Task<Dictionary<string, object>> EnvironmentOfAsync(IDistributedApplicationTestingBuilder builder, string name, CancellationToken token)
    {
        var resource = builder.Resources.Single(r => r.Name == name);
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, [], token);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }
}
