using System.Text.Json;
using Microsoft.Data.Sqlite;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Store;
using MseLab.Store.Records;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Commands;

/// <summary>
/// The admin commands (user, token, audit) and the token check of cluster-mode changes, as the real program on a lab profile
/// whose store is a SQLite file (the check needs only the store: it runs before any cluster is dialled).
/// </summary>
public sealed class AuthCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-auth-cli-").FullName;

    public AuthCommandTests()
    {
        Profile = Path.Combine(_folder, "lab.json");
        WriteProfile(token: null);
        Ok(Mselab("db", "migrate", "--cluster", Profile));
        Database = new ResultsDatabase(new StoreOptions { ConnectionString = Connection });
    }

    private string Profile { get; }

    private string Connection => $"Data Source={Path.Combine(_folder, "results.db")}";

    private ResultsDatabase Database { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_UsersAndTokens_CreatedListedRevokedAndAudited()
    {
        Ok(Mselab("user", "add", "alice", "--role", "submit", "--cluster", Profile));
        Ok(Mselab("user", "add", "pat", "--role", "Admin", "--cluster", Profile));
        var users = Ok(Mselab("user", "list", "--cluster", Profile));
        Assert.Matches(@"alice\s+submit", users);
        Assert.Matches(@"pat\s+admin", users);

        var created = Ok(Mselab("token", "create", "alice", "--expires", "30d", "--cluster", Profile));
        var token = Assert.Single(created.Split('\n'), l => l.StartsWith(ApiTokenFormat.Prefix, StringComparison.Ordinal)).Trim();
        Assert.True(ApiTokenFormat.TryParse(token, out var id, out var secret));
        var check = await new ApiTokens(Database, new StoreClock(Database)).CheckAsync(token, Ct);
        Assert.Equal((TokenVerdict.Valid, "alice", UserRole.Submit), (check.Verdict, check.User, check.Role));
        var expires = Assert.Single(await new ApiTokens(Database, new StoreClock(Database)).ListAsync("alice", Ct)).ExpiresAt!.Value;
        Assert.InRange(expires - DateTime.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
        var listed = Ok(Mselab("token", "list", "--cluster", Profile));
        Assert.Matches($@"{id}\s+alice\s+.*active", listed);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        Ok(Mselab("token", "revoke", id, "--cluster", Profile));

        Assert.Equal(TokenVerdict.Revoked, (await new ApiTokens(Database, new StoreClock(Database)).CheckAsync(token, Ct)).Verdict);
        Assert.Matches($@"{id}\s+alice\s+.*revoked", Ok(Mselab("token", "list", "--cluster", Profile)));
        var audit = JsonSerializer.Deserialize<JsonElement>(Ok(Mselab("audit", "--cluster", Profile, "--json", "--since", "1h")));
        Assert.Equal(
            [$"{AuditActions.UserAdd} alice", $"{AuditActions.UserAdd} pat", $"{AuditActions.TokenCreate} {id}", $"{AuditActions.TokenRevoke} {id}"],
            audit.EnumerateArray().Select(a => $"{a.GetProperty("Action")} {a.GetProperty("Target")}"));
        Assert.All(audit.EnumerateArray(), a => Assert.Equal($"cli@{Environment.MachineName}", a.GetProperty("Origin").GetString()));
        Assert.Empty(JsonSerializer.Deserialize<JsonElement>(Ok(Mselab("audit", "--cluster", Profile, "--json", "--user", "nobody"))).EnumerateArray());
    }

    [Fact]
    public void Admin_BadInput_ExitsTwoNamingTheFix()
    {
        Assert.Contains("reserved", Fails(Mselab("user", "add", "local", "--cluster", Profile), 2), StringComparison.Ordinal);
        Assert.Contains("is not valid", Fails(Mselab("user", "add", "a b", "--cluster", Profile), 2), StringComparison.Ordinal);
        Assert.Contains("mselab user add nobody", Fails(Mselab("token", "create", "nobody", "--cluster", Profile), 2), StringComparison.Ordinal);
        Ok(Mselab("user", "add", "alice", "--cluster", Profile));
        Assert.Contains("exists already", Fails(Mselab("user", "add", "alice", "--role", "admin", "--cluster", Profile), 2), StringComparison.Ordinal);
        Assert.Contains("is not a duration", Fails(Mselab("token", "create", "alice", "--expires", "soon", "--cluster", Profile), 2), StringComparison.Ordinal);
        Assert.Contains("mselab token list", Fails(Mselab("token", "revoke", "0123456789ab", "--cluster", Profile), 2), StringComparison.Ordinal);
        Assert.Contains("--since", Fails(Mselab("audit", "--since", "yesterday-ish", "--cluster", Profile), 2), StringComparison.Ordinal);
        foreach (var help in new[] { new[] { "user", "add", "--help" }, ["token", "create", "--help"], ["audit", "--help"], ["sweep", "cancel", "--help"] })
        {
            Assert.Contains("--cluster", Ok(Mselab(help)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SweepCancel_Cluster_RefusesMissingBadLowOrForeignTokensAndLetsTheOwnerAndAnAdmin()
    {
        var tokens = await IssueAsync();
        await new SweepSubmissions(Database, new StoreClock(Database)).SubmitAsync(
            new SweepSubmission("s1", "s1.yaml", "", "cpu", 1, 0, 0, [], "alice"), rerunFailed: false, Ct);

        var missing = Fails(Mselab("sweep", "cancel", "s1", "--cluster", Profile), CliExit.Denied);
        Assert.Contains("pass --token, set MSELAB_TOKEN, or put Auth:Token in", missing, StringComparison.Ordinal);
        Assert.Contains("was revoked at", Fails(Mselab("sweep", "cancel", "s1", "--cluster", Profile, "--token", tokens["revoked"]), CliExit.Denied), StringComparison.Ordinal);
        Assert.Contains("expired at", Fails(Mselab("sweep", "cancel", "s1", "--cluster", Profile, "--token", tokens["expired"]), CliExit.Denied), StringComparison.Ordinal);
        Assert.Contains("does not match", Fails(Mselab("sweep", "cancel", "s1", "--cluster", Profile, "--token", tokens["alice"][..^2] + "zz"), CliExit.Denied), StringComparison.Ordinal);
        Assert.Contains("needs role submit or higher; rita has role read", Fails(Mselab("sweep", "cancel", "s1", "--cluster", Profile, "--token", tokens["rita"]), CliExit.Denied), StringComparison.Ordinal);
        Assert.Contains("owned by alice", Fails(Mselab("sweep", "cancel", "s1", "--cluster", Profile, "--token", tokens["bob"]), CliExit.Denied), StringComparison.Ordinal);
        Assert.False(await new ResultQueries(Database).SweepCancelledAsync("s1", Ct));
        Assert.Empty(await Audit().ListAsync(cancellationToken: Ct));

        Ok(ChildProcess.Run("/usr/bin/env", [$"MSELAB_TOKEN={tokens["alice"]}", ProcessRunner.MselabPath, "sweep", "cancel", "s1", "--cluster", Profile]));
        WriteProfile(tokens["pat"]);   // an admin's token in the profile's Auth:Token
        Ok(Mselab("sweep", "cancel", "s1", "--cluster", Profile));

        Assert.True(await new ResultQueries(Database).SweepCancelledAsync("s1", Ct));
        Assert.Equal(["alice", "pat"], (await Audit().ListAsync(cancellationToken: Ct)).Where(a => a.Action == AuditActions.SweepCancel).Select(a => a.User));
    }

    [Fact]
    public async Task SweepRunAndWorkerDrain_Cluster_RefusedBeforeTheClusterIsDialledAndStoreNothing()
    {
        var tokens = await IssueAsync();
        var sweep = Path.Combine(_folder, "s2.yaml");
        File.WriteAllText(sweep, """
            name: s2
            backbones: [tiny]
            datasets: ["synthetic:mosei?train=8&valid=4&test=4"]
            seeds: [1]
            """);

        Assert.Contains("needs an API token of role submit", Fails(Mselab("sweep", "run", sweep, "--cluster", Profile, "--detach"), CliExit.Denied), StringComparison.Ordinal);
        Assert.Contains("rita has role read", Fails(Mselab("sweep", "run", sweep, "--cluster", Profile, "--token", tokens["rita"]), CliExit.Denied), StringComparison.Ordinal);
        Assert.Contains("needs role admin or higher; alice has role submit", Fails(Mselab("worker", "drain", "gpu-box-1", "--cluster", Profile, "--token", tokens["alice"]), CliExit.Denied), StringComparison.Ordinal);

        Assert.Null(await new ResultQueries(Database).SweepOwnerAsync("s2", Ct));
        Assert.Empty(await Audit().ListAsync(cancellationToken: Ct));
    }

    public void Dispose()
    {
        Database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<Dictionary<string, string>> IssueAsync()
    {
        var users = new Users(Database, new StoreClock(Database));
        var tokens = new ApiTokens(Database, new StoreClock(Database));
        var issued = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, role) in new[] { ("alice", UserRole.Submit), ("bob", UserRole.Submit), ("rita", UserRole.Read), ("pat", UserRole.Admin) })
        {
            await users.AddAsync(name, role, Ct);
            issued[name] = (await tokens.CreateAsync(name, TimeSpan.FromDays(1), Ct)).Token;
        }

        issued["expired"] = (await new ApiTokens(Database, StoreClock.Trusting(new ShiftedTime(TimeSpan.FromDays(-2)))).CreateAsync("alice", TimeSpan.FromDays(1), Ct)).Token;
        var revoked = await tokens.CreateAsync("alice", null, Ct);
        await tokens.RevokeAsync(revoked.Id, Ct);
        issued["revoked"] = revoked.Token;
        return issued;
    }

    private AuditLog Audit() => new(Database, new StoreClock(Database));

    private void WriteProfile(string? token) => File.WriteAllText(Profile, JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Store"] = new Dictionary<string, string> { ["Provider"] = "sqlite", ["ConnectionString"] = Connection },
        ["Auth"] = new Dictionary<string, string?> { ["Token"] = token },
    }));

    private static ProcessResult Mselab(params string[] args) => ProcessRunner.Mselab(args);

    private static string Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        return result.StandardOutput;
    }

    private static string Fails(ProcessResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode} (expected {exitCode}): {result.StandardOutput}{result.StandardError}");
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);   // a message, not a stack trace
        return result.StandardOutput + result.StandardError;   // option errors go to stdout (Spectre), the others to stderr
    }

    /// <summary>The exit codes of the program's error handler.</summary>
    private static class CliExit
    {
        public const int Denied = 77;
    }

    /// <summary>The system clock moved by a fixed offset: issues a token "in the past".</summary>
    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
