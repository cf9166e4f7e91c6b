namespace MseLab.Store.Entities;

/// <summary>An API token: looked up by its id, proven by its secret, of which only the SHA-256 is stored.</summary>
public sealed class ApiTokenEntity
{
    /// <summary>The public part of the token (<c>mselab_ID_SECRET</c>); shown in lists and the audit.</summary>
    public required string Id { get; set; }

    public required string User { get; set; }

    /// <summary>SHA-256 of the secret, lower-case hex. The secret itself is never stored.</summary>
    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the token stops working; null: never.</summary>
    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
