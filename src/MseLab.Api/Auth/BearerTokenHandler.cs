using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer mselab_ID_SECRET</c>: a token from the store (its user and role), or the configured admin
/// secret. No header: no result (anonymous, for open reads); anything else that does not check out fails with the reason,
/// which the 401 carries.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens,
    IOptions<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MseLabBearer";

    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail($"The Authorization header is not a bearer token; send `Authorization: {Bearer}{ApiTokenFormat.Prefix}ID_SECRET`.");
        }

        var token = header[Bearer.Length..].Trim();
        if (auth.Value.AdminToken is { } admin && SameSecret(token, admin.Trim()))
        {
            return Success(Users.AdminSecretUser, UserRole.Admin, tokenId: null);
        }

        var check = await tokens.CheckAsync(token, Context.RequestAborted);
        return check.IsValid ? Success(check.User!, check.Role, check.TokenId) : AuthenticateResult.Fail(check.Reason);
    }

    private static AuthenticateResult Success(string user, UserRole role, string? tokenId) =>
        AuthenticateResult.Success(new AuthenticationTicket(Caller.Principal(user, role, tokenId, SchemeName), SchemeName));

    // Hashes first, so that the comparison takes the same time whatever the lengths and wherever they differ.
    private static bool SameSecret(string presented, string secret) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
