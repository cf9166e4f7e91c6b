namespace MseLab.Store.Records;

/// <summary>The outcome of checking a presented token: the user and role when <see cref="Verdict"/> is Valid, else why not.</summary>
public sealed record TokenCheck(TokenVerdict Verdict, string? TokenId = null, string? User = null, UserRole Role = UserRole.Read, DateTime? At = null)
{
    public bool IsValid => Verdict == TokenVerdict.Valid;

    /// <summary>Why the token was refused, naming the token and the fix; empty for a valid one.</summary>
    public string Reason => Verdict switch
    {
        TokenVerdict.Valid => "",
        TokenVerdict.Malformed => $"The token is not an MseLab token (expected {ApiTokenFormat.Prefix}ID_SECRET as `mselab token create` prints it); check that it was copied whole.",
        TokenVerdict.Unknown => $"Token {TokenId} is not known to this lab's store; ask an admin for one (`mselab token create USER`).",
        TokenVerdict.WrongSecret => $"The secret of token {TokenId} does not match; check that it was copied whole, or ask an admin for a new one.",
        TokenVerdict.Expired => $"Token {TokenId} of {User} expired at {At:yyyy-MM-dd HH:mm} UTC; ask an admin for a new one (`mselab token create {User}`).",
        TokenVerdict.Revoked => $"Token {TokenId} of {User} was revoked at {At:yyyy-MM-dd HH:mm} UTC; ask an admin for a new one (`mselab token create {User}`).",
        _ => Verdict.ToString(),
    };
}
