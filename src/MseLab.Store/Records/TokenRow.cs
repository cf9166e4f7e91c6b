namespace MseLab.Store.Records;

/// <summary>An API token as <c>mselab token list</c> shows it: never its secret (the store has only the secret's hash).</summary>
public sealed record TokenRow(string Id, string User, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt)
{
    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c> at <paramref name="now"/>.</summary>
    public string StateAt(DateTime now) => RevokedAt is not null ? "revoked" : ExpiresAt <= now ? "expired" : "active";
}
