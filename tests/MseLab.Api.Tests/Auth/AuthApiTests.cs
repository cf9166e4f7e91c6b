using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MseLab.Api.Auth;
using MseLab.Store;

namespace MseLab.Api.Tests.Auth;

/// <summary>
/// Tokens on the API over a real store: missing, wrong, unknown, malformed, expired and revoked tokens get 401 with the
/// reason; a read token on a write, and a submitter on another's sweep, 403; the submitter owns the sweep; the owner or an
/// admin (a store token or the admin secret) cancels; reads open or closed; every mutation leaves an audit row.
/// </summary>
public sealed class AuthApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string?, string> RefusedTokens => new()
    {
        { null, "needs an API token" },
        { "wrong", "does not match" },
        { "unknown", "is not known to this lab" },
        { "malformed", "not an MseLab token" },
        { "expired", "expired at" },
        { "revoked", "was revoked at" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Submit_MissingOrBadToken_Is401WithTheReasonAndStoresNothing(string? token, string reason)
    {
        await using var lab = await AuthLab.CreateAsync();
        using var client = lab.Client(token);

        var response = await client.PostAsync(new Uri("/api/sweeps", UriKind.Relative), AuthLab.Yaml("s1"), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(reason, $"{problem.GetProperty("title")} {problem.GetProperty("detail")}", StringComparison.Ordinal);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Null(await lab.Queries.SweepOwnerAsync("s1", Ct));
        Assert.Empty(lab.Dispatcher.Sent);
        Assert.Empty(await lab.Audit.ListAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Submit_ReadRoleToken_Is403NamingTheRoleNeeded()
    {
        await using var lab = await AuthLab.CreateAsync();
        using var client = lab.Client("rita");

        var response = await client.PostAsync(new Uri("/api/sweeps", UriKind.Relative), AuthLab.Yaml("s1"), Ct);

        var detail = (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("detail").GetString();
        Assert.Contains("needs role submit or higher; rita has role read", detail, StringComparison.Ordinal);
        Assert.Null(await lab.Queries.SweepOwnerAsync("s1", Ct));
        Assert.Empty(await lab.Audit.ListAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Submit_SubmitterToken_QueuesTheSweepOwnedByThemAndAudits()
    {
        await using var lab = await AuthLab.CreateAsync();
        using var client = lab.Client("alice");

        var response = await client.PostAsync(new Uri("/api/sweeps", UriKind.Relative), AuthLab.Yaml("s1"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("alice", await lab.Queries.SweepOwnerAsync("s1", Ct));
        Assert.Equal(2, lab.Dispatcher.Sent.Count);
        Assert.Equal(1, lab.Grains.Refreshes);
        var row = Assert.Single(await lab.Audit.ListAsync(cancellationToken: Ct));
        Assert.Equal(("alice", AuditActions.SweepSubmit, "s1", "in-process"), (row.User, row.Action, row.Target, row.Origin));
        Assert.Contains("2 new", row.Detail, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - row.At < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Resubmit_AnotherUsersSweep_Is403AndItKeepsItsOwner()
    {
        await using var lab = await AuthLab.CreateAsync();
        await SubmitAsync(lab, "alice", "s1");
        using var bob = lab.Client("bob");

        var response = await bob.PostAsync(new Uri("/api/sweeps?rerunFailed=true", UriKind.Relative), AuthLab.Yaml("s1"), Ct);

        var detail = (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("detail").GetString();
        Assert.Contains("Sweep s1 is owned by alice; only its owner or an admin resubmits it", detail, StringComparison.Ordinal);
        Assert.Equal("alice", await lab.Queries.SweepOwnerAsync("s1", Ct));
        Assert.Single(await lab.Audit.ListAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Cancel_AnotherSubmittersSweep_Is403AndNothingIsCancelled()
    {
        await using var lab = await AuthLab.CreateAsync();
        await SubmitAsync(lab, "alice", "s1");
        using var bob = lab.Client("bob");

        var response = await bob.PostAsync(new Uri("/api/sweeps/s1/cancel", UriKind.Relative), null, Ct);

        var detail = (await ProblemAsync(response, HttpStatusCode.Forbidden)).GetProperty("detail").GetString();
        Assert.Contains("Sweep s1 is owned by alice; only its owner or an admin cancels it, and bob is neither", detail, StringComparison.Ordinal);
        Assert.False(await lab.Queries.SweepCancelledAsync("s1", Ct));
        Assert.DoesNotContain(await lab.Audit.ListAsync(cancellationToken: Ct), a => a.Action == AuditActions.SweepCancel);
    }

    [Theory]
    [InlineData("alice", "alice")]                       // the owner
    [InlineData("ada", "ada")]                           // an admin's store token
    [InlineData(AuthLab.AdminSecret, Users.AdminSecretUser)]   // the configured admin secret
    public async Task Cancel_ByOwnerOrAdmin_CancelsInTheStoreAndAudits(string token, string user)
    {
        await using var lab = await AuthLab.CreateAsync();
        await SubmitAsync(lab, "alice", "s1");
        using var client = lab.Client(token);

        var response = await client.PostAsync(new Uri("/api/sweeps/s1/cancel", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await lab.Queries.SweepCancelledAsync("s1", Ct));
        var cancel = Assert.Single(await lab.Audit.ListAsync(cancellationToken: Ct), a => a.Action == AuditActions.SweepCancel);
        Assert.Equal((user, "s1", "0 running"), (cancel.User, cancel.Target, cancel.Detail));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("rita")]
    [InlineData("revoked")]
    public async Task Cancel_WithoutASubmitToken_IsRefusedBeforeTheSweepIsLookedUp(string? token)
    {
        await using var lab = await AuthLab.CreateAsync();
        await SubmitAsync(lab, "alice", "s1");
        using var client = lab.Client(token);

        var response = await client.PostAsync(new Uri("/api/sweeps/s1/cancel", UriKind.Relative), null, Ct);

        Assert.Equal(token == "rita" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await lab.Queries.SweepCancelledAsync("s1", Ct));
    }

    [Fact]
    public async Task Reads_OpenByDefault_NeedNoTokenButRefuseABadOne()
    {
        await using var lab = await AuthLab.CreateAsync();
        await SubmitAsync(lab, "alice", "s1");
        using var anonymous = lab.Client();
        using var stale = lab.Client("revoked");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/api/sweeps", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/api/results?sweep=s1", UriKind.Relative), Ct)).StatusCode);
        var refused = await stale.GetAsync(new Uri("/api/sweeps", UriKind.Relative), Ct);
        Assert.Contains("was revoked at", (await ProblemAsync(refused, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_Closed_NeedATokenOfAnyRole()
    {
        await using var lab = await AuthLab.CreateAsync(readsOpen: false);
        await SubmitAsync(lab, "alice", "s1");
        using var anonymous = lab.Client();
        using var reader = lab.Client("rita");

        foreach (var path in new[] { "/api/sweeps", "/api/sweeps/s1/results", "/api/results?sweep=s1", "/api/results/epochs", "/api/results/download?format=csv" })
        {
            await ProblemAsync(await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct), HttpStatusCode.Unauthorized);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri(path, UriKind.Relative), Ct)).StatusCode);
        }

        var sweeps = await reader.GetFromJsonAsync<JsonElement>(new Uri("/api/sweeps", UriKind.Relative), Ct);
        Assert.Equal("s1", sweeps[0].GetProperty("id").GetString());
        // The page itself is static and stays open; its data is what needs the token.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/results/", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Start_AdminSecretTooShort_FailsNamingTheKey()
    {
        await using var lab = await AuthLab.CreateAsync(adminSecret: "short");

        var failure = Assert.Throws<OptionsValidationException>(() => lab.Client());

        Assert.Contains($"{AuthOptions.SectionName}:{nameof(AuthOptions.AdminToken)} has 5 characters", failure.Message, StringComparison.Ordinal);
    }

    private static async Task SubmitAsync(AuthLab lab, string token, string sweep)
    {
        using var client = lab.Client(token);
        var response = await client.PostAsync(new Uri("/api/sweeps", UriKind.Relative), AuthLab.Yaml(sweep), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
