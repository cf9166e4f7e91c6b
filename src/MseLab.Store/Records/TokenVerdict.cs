namespace MseLab.Store.Records;

/// <summary>What checking a presented token found.</summary>
public enum TokenVerdict
{
    /// <summary>A live token of an existing user.</summary>
    Valid,

    /// <summary>Not of the form <c>mselab_ID_SECRET</c>.</summary>
    Malformed,

    /// <summary>No token has that id (never issued, or issued by another lab's store).</summary>
    Unknown,

    /// <summary>The id exists but the secret does not match its hash.</summary>
    WrongSecret,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Revoked by an admin.</summary>
    Revoked,
}
