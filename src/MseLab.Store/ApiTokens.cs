using Microsoft.EntityFrameworkCore;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>Per-user API tokens: issued by an admin (the secret shown once, only its hash stored), checked per request, revoked.</summary>
public sealed class ApiTokens(ResultsDatabase database, StoreClock clock)
{
    /// <summary>Issues a token to <paramref name="user"/>, valid for <paramref name="lifetime"/> (null: until revoked).</summary>
    /// <exception cref="KeyNotFoundException">No such user.</exception>
    public Task<IssuedToken> CreateAsync(string user, TimeSpan? lifetime, CancellationToken cancellationToken = default)
    {
        var (id, secret, token) = ApiTokenFormat.Create();
        return database.WriteAsync(async (db, ct) =>
        {
            if (!await db.Users.AnyAsync(u => u.Name == user, ct))
            {
                throw new KeyNotFoundException($"No user named '{user}' in the results store at {database.Location}. Add one first: `mselab user add {user} --role submit`.");
            }

            var now = await clock.NowAsync(ct);
            var expires = lifetime is { } span ? now + span : (DateTime?)null;
            db.ApiTokens.Add(new ApiTokenEntity { Id = id, User = user, SecretHash = ApiTokenFormat.Hash(secret), CreatedAt = now, ExpiresAt = expires });
            await db.SaveChangesAsync(ct);
            return new IssuedToken(id, user, token, expires);
        }, cancellationToken);
    }

    /// <summary>Every token (of <paramref name="user"/> when given), newest first; secrets are not stored, so not listed.</summary>
    public async Task<IReadOnlyList<TokenRow>> ListAsync(string? user = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => user == null || t.User == user).ToListAsync(cancellationToken);
        return [.. tokens.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)
            .Select(t => new TokenRow(t.Id, t.User, t.CreatedAt, t.ExpiresAt, t.RevokedAt))];
    }

    /// <summary>Revokes a token from now on; false when there is no such token or it was revoked already.</summary>
    public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (db, ct) =>
        {
            var now = await clock.NowAsync(ct);
            return await db.ApiTokens.Where(t => t.Id == id && t.RevokedAt == null).ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), ct) == 1;
        }, cancellationToken);

    /// <summary>Checks a presented token: its user and role when it is live, else why not (one read, by the token's id).</summary>
    public async Task<TokenCheck> CheckAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!ApiTokenFormat.TryParse(token, out var id, out var secret))
        {
            return new TokenCheck(TokenVerdict.Malformed);
        }

        await using var db = database.CreateContext();
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Id == id)
            .Join(db.Users, t => t.User, u => u.Name, (t, u) => new { t.SecretHash, t.User, t.ExpiresAt, t.RevokedAt, u.Role })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new TokenCheck(TokenVerdict.Unknown, id);
        }

        // The secret first: whoever does not hold it learns nothing about the token's state.
        if (!ApiTokenFormat.Matches(secret, found.SecretHash))
        {
            return new TokenCheck(TokenVerdict.WrongSecret, id);
        }

        return found.RevokedAt is { } revoked ? new TokenCheck(TokenVerdict.Revoked, id, found.User, found.Role, revoked)
            : found.ExpiresAt is { } expires && expires <= await clock.NowAsync(cancellationToken) ? new TokenCheck(TokenVerdict.Expired, id, found.User, found.Role, expires)
            : new TokenCheck(TokenVerdict.Valid, id, found.User, found.Role);
    }
}
