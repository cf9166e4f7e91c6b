namespace MseLab.Store.Records;

/// <summary>A token just created: <see cref="Token"/> is the only copy of its secret (the store keeps a hash), shown once.</summary>
public sealed record IssuedToken(string Id, string User, string Token, DateTime? ExpiresAt);
