using System.ComponentModel.DataAnnotations;

namespace MseLab.Api.Auth;

/// <summary>Who may call the API. Bound from the <c>Auth</c> section and validated at start. Writes always need a token.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>The fewest characters an admin secret may have (the AppHost generates 40).</summary>
    public const int MinAdminTokenLength = 32;

    /// <summary>
    /// Whether reading (sweeps, progress, results, the results page's data) needs no token. Default true: a lab's results
    /// are usually shared, and the page works without sign-in. False: every read needs a token of role read or higher.
    /// </summary>
    public bool ReadsOpen { get; set; } = true;

    /// <summary>
    /// An admin secret accepted as a bearer token besides the store's tokens (user <c>admin</c>, role admin): how a lab is
    /// used before any user exists. The AppHost passes its secret parameter <c>api-admin-token</c> here. Null: none.
    /// </summary>
    public string? AdminToken { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdminToken is { } secret && secret.Trim().Length < MinAdminTokenLength)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(AdminToken)} has {secret.Trim().Length} characters; an admin secret needs at least {MinAdminTokenLength} (e.g. `openssl rand -hex 24`), or leave it unset and use `mselab token create`.",
                [nameof(AdminToken)]);
        }
    }
}
