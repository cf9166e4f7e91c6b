using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MseLab.Store.Records;

namespace MseLab.Store.Tests;

/// <summary>Users, API tokens (only the secret's hash stored; expiry; revocation) and the audit table, on SQLite and Postgres.</summary>
public sealed class AuthStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool> Providers => [false, true];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Create_Token_StoresTheSecretsSha256NeverTheSecretAndChecksAsItsUser(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        Assert.True(await lab.Users.AddAsync("alice", UserRole.Submit, Ct));

        var issued = await lab.Tokens.CreateAsync("alice", lifetime: null, Ct);

        Assert.StartsWith($"mselab_{issued.Id}_", issued.Token, StringComparison.Ordinal);
        var secret = issued.Token[$"mselab_{issued.Id}_".Length..];
        Assert.Equal(64, secret.Length);
        await using (var db = lab.Database.CreateContext())
        {
            var row = await db.ApiTokens.AsNoTracking().SingleAsync(Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), row.SecretHash);
            Assert.DoesNotContain(secret, $"{row.Id}|{row.User}|{row.SecretHash}", StringComparison.Ordinal);
        }

        var check = await lab.Tokens.CheckAsync(issued.Token, Ct);
        Assert.Equal((TokenVerdict.Valid, "alice", UserRole.Submit, issued.Id), (check.Verdict, check.User, check.Role, check.TokenId));
        var listed = Assert.Single(await lab.Tokens.ListAsync(cancellationToken: Ct));
        Assert.Equal(("alice", "active"), (listed.User, listed.StateAt(lab.Now)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_ExpiredToken_IsRefusedAfterItsLifetimeOnly(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        await lab.Users.AddAsync("bob", UserRole.Read, Ct);
        var issued = await lab.Tokens.CreateAsync("bob", TimeSpan.FromHours(1), Ct);

        lab.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.True((await lab.Tokens.CheckAsync(issued.Token, Ct)).IsValid);
        lab.Time.Advance(TimeSpan.FromMinutes(2));
        var check = await lab.Tokens.CheckAsync(issued.Token, Ct);

        Assert.Equal(TokenVerdict.Expired, check.Verdict);
        Assert.Contains("expired at 2026-03-01 13:00", check.Reason, StringComparison.Ordinal);
        Assert.Contains("mselab token create bob", check.Reason, StringComparison.Ordinal);
        Assert.Equal("expired", Assert.Single(await lab.Tokens.ListAsync("bob", Ct)).StateAt(lab.Now));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Revoke_Token_IsRefusedFromThenOnAndOthersStayValid(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        await lab.Users.AddAsync("carol", UserRole.Admin, Ct);
        var revoked = await lab.Tokens.CreateAsync("carol", null, Ct);
        var kept = await lab.Tokens.CreateAsync("carol", null, Ct);

        Assert.True(await lab.Tokens.RevokeAsync(revoked.Id, Ct));

        Assert.Equal(TokenVerdict.Revoked, (await lab.Tokens.CheckAsync(revoked.Token, Ct)).Verdict);
        Assert.True((await lab.Tokens.CheckAsync(kept.Token, Ct)).IsValid);
        Assert.False(await lab.Tokens.RevokeAsync(revoked.Id, Ct));   // already revoked
        Assert.False(await lab.Tokens.RevokeAsync("0123456789ab", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_WrongUnknownOrMalformedToken_SaysWhichAndNamesNoUser(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        await lab.Users.AddAsync("dave", UserRole.Submit, Ct);
        var issued = await lab.Tokens.CreateAsync("dave", null, Ct);
        var flipped = issued.Token[..^1] + (issued.Token[^1] == '0' ? '1' : '0');

        var wrong = await lab.Tokens.CheckAsync(flipped, Ct);
        var unknown = await lab.Tokens.CheckAsync($"mselab_0123456789ab_{new string('a', 64)}", Ct);

        Assert.Equal((TokenVerdict.WrongSecret, issued.Id, null), (wrong.Verdict, wrong.TokenId, wrong.User));
        Assert.Equal((TokenVerdict.Unknown, "0123456789ab"), (unknown.Verdict, unknown.TokenId));
        foreach (var malformed in new[] { null, "", "Bearer x", "mselab_", "mselab_abc", "mselab__secret", "mselab_abc_", "ghp_0123" })
        {
            Assert.Equal(TokenVerdict.Malformed, (await lab.Tokens.CheckAsync(malformed, Ct)).Verdict);
        }
    }

    [Fact]
    public async Task Users_DuplicateReservedOrInvalidNames_AreRefusedAndTokensNeedAUser()
    {
        await using var lab = await TempStore.CreateAsync();
        Assert.True(await lab.Users.AddAsync("erin", UserRole.Read, Ct));

        Assert.False(await lab.Users.AddAsync("erin", UserRole.Admin, Ct));
        Assert.Equal(UserRole.Read, (await lab.Users.FindAsync("erin", Ct))!.Role);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => Users.Validate("local")).Message, StringComparison.Ordinal);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => Users.Validate("admin")).Message, StringComparison.Ordinal);
        foreach (var bad in new[] { "", " alice", "a b", "-x", "x;drop", new string('a', 65) })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => lab.Users.AddAsync(bad, UserRole.Read, Ct));
        }

        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => lab.Tokens.CreateAsync("frank", null, Ct));
        Assert.Contains("mselab user add frank", missing.Message, StringComparison.Ordinal);
        Assert.Equal(["erin"], (await lab.Users.ListAsync(Ct)).Select(u => u.Name));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Audit_Rows_AreListedOldestFirstFilteredBySinceAndUser(bool postgres)
    {
        await using var lab = postgres ? await TempStore.CreatePostgresAsync() : await TempStore.CreateAsync();
        await lab.Audit.RecordAsync("alice", AuditActions.SweepSubmit, "s1", "10.0.0.5", "3 new", Ct);
        lab.Time.Advance(TimeSpan.FromHours(1));
        await lab.Audit.RecordAsync("bob", AuditActions.SweepCancel, "s1", "cli@box", "", Ct);
        lab.Time.Advance(TimeSpan.FromHours(1));
        await lab.Audit.RecordAsync("alice", AuditActions.SweepCancel, "s2", "10.0.0.5", "", Ct);

        var all = await lab.Audit.ListAsync(cancellationToken: Ct);
        var recent = await lab.Audit.ListAsync(since: TempStore.Start.UtcDateTime.AddMinutes(30), cancellationToken: Ct);
        var alice = await lab.Audit.ListAsync(user: "alice", cancellationToken: Ct);

        Assert.Equal(["alice sweep.submit s1 10.0.0.5 3 new", "bob sweep.cancel s1 cli@box ", "alice sweep.cancel s2 10.0.0.5 "],
            all.Select(a => $"{a.User} {a.Action} {a.Target} {a.Origin} {a.Detail}"));
        Assert.Equal(TempStore.Start.UtcDateTime, all[0].At);
        Assert.Equal(["bob", "alice"], recent.Select(a => a.User));
        Assert.Equal(["s1", "s2"], alice.Select(a => a.Target));
        Assert.Equal(["s2"], (await lab.Audit.ListAsync(limit: 1, cancellationToken: Ct)).Select(a => a.Target));
    }
}
