using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Cli;

/// <summary>
/// Who a cluster-mode change acts as: the user of the token given (<c>--token</c>, <c>MSELAB_TOKEN</c>, or the profile's
/// <c>Auth:Token</c>), checked against the store before anything changes. Cooperative: this process holds the store's
/// credentials, so the check keeps honest users apart; the API is where tokens are enforced.
/// </summary>
internal static class CliAuth
{
    /// <summary>The configuration key of a profile's token.</summary>
    public const string ProfileTokenKey = "Auth:Token";

    /// <summary>Where the command line's changes come from, for the audit.</summary>
    public static string Origin => $"cli@{Environment.MachineName}";

    /// <summary>The name admin commands record: they act with the store's credentials, not a token, so the account that ran them.</summary>
    public static string StoreActor => $"store:{Environment.UserName}";

    /// <summary>
    /// The user of the token in force, when it is live and of role <paramref name="needed"/> or higher.
    /// </summary>
    /// <exception cref="AccessDeniedException">No token, a refused one, or too low a role; the message says which and the fix.</exception>
    public static async Task<(string User, UserRole Role)> RequireAsync(
        ResultsDatabase database, string profile, string? token, UserRole needed, string command, CancellationToken cancellationToken)
    {
        var given = token
            ?? (Environment.GetEnvironmentVariable(ClusterMutationSettings.TokenVariable) is { Length: > 0 } variable ? variable : null)
            ?? ClusterProfile.Load(profile)[ProfileTokenKey];
        var fix = $"An admin creates one with `mselab user add NAME --role {Role(needed)} --cluster {profile}` and `mselab token create NAME --cluster {profile}`.";
        if (string.IsNullOrWhiteSpace(given))
        {
            throw new AccessDeniedException(
                $"`mselab {command} --cluster` changes the lab and needs an API token of role {Role(needed)}: pass --token, set {ClusterMutationSettings.TokenVariable}, or put {ProfileTokenKey} in {profile}. {fix}");
        }

        var check = await new ApiTokens(database, new StoreClock(database)).CheckAsync(given.Trim(), cancellationToken);
        if (!check.IsValid)
        {
            throw new AccessDeniedException($"`mselab {command}` refused: {check.Reason} Nothing was changed.");
        }

        if (check.Role < needed)
        {
            throw new AccessDeniedException(
                $"`mselab {command}` needs role {Role(needed)} or higher; {check.User} has role {Role(check.Role)}. Nothing was changed. {fix}");
        }

        return (check.User!, check.Role);
    }

    /// <exception cref="AccessDeniedException"><paramref name="user"/> neither owns the sweep nor is an admin.</exception>
    public static void RequireOwner(string sweep, string owner, string user, UserRole role, string verb)
    {
        if (role != UserRole.Admin && !string.Equals(owner, user, StringComparison.Ordinal))
        {
            throw new AccessDeniedException(
                $"Sweep {sweep} is owned by {owner}; only its owner or an admin {verb} it, and {user} is neither. Nothing was changed.");
        }
    }

    private static string Role(UserRole role) => role.ToString().ToLowerInvariant();
}
