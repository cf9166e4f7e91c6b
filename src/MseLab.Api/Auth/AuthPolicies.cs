using MseLab.Store.Records;

namespace MseLab.Api.Auth;

/// <summary>The API's authorization policies: one per role, each admitting that role and the ones above it.</summary>
public static class AuthPolicies
{
    /// <summary>Reads: open to anonymous callers when <see cref="AuthOptions.ReadsOpen"/>, else role read or higher.</summary>
    public const string Read = "read";

    /// <summary>Submitting and cancelling sweeps: role submit or admin.</summary>
    public const string Submit = "submit";

    /// <summary>Lab-wide operations: role admin.</summary>
    public const string Admin = "admin";

    /// <summary>The policy that demands <paramref name="role"/>.</summary>
    public static string For(UserRole role) => role switch
    {
        UserRole.Read => Read,
        UserRole.Submit => Submit,
        _ => Admin,
    };
}
