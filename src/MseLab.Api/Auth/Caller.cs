using System.Globalization;
using System.Security.Claims;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Auth;

/// <summary>Who is calling, as the bearer handler put it in the request's principal, and from where.</summary>
public static class Caller
{
    /// <summary>The claim holding the token's id (absent for the admin secret).</summary>
    public const string TokenIdClaim = "mselab:token";

    /// <summary>Builds the principal of an authenticated caller.</summary>
    public static ClaimsPrincipal Principal(string user, UserRole role, string? tokenId, string scheme)
    {
        List<Claim> claims = [new(ClaimTypes.Name, user), new(ClaimTypes.Role, role.ToString())];
        if (tokenId is not null)
        {
            claims.Add(new Claim(TokenIdClaim, tokenId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The caller's user name; <see cref="SweepOwners.Local"/> when anonymous (an open read).</summary>
    public static string Name(ClaimsPrincipal user) =>
        user?.Identity is { IsAuthenticated: true, Name: { } name } ? name : SweepOwners.Local;

    /// <summary>The caller's role; null when anonymous.</summary>
    public static UserRole? Role(ClaimsPrincipal user) =>
        user?.Identity?.IsAuthenticated == true && Enum.TryParse<UserRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;

    /// <summary>Whether the caller may act on what <paramref name="owner"/> owns: it is theirs, or they are an admin.</summary>
    public static bool MayActFor(ClaimsPrincipal user, string owner) =>
        Role(user) == UserRole.Admin || string.Equals(Name(user), owner, StringComparison.Ordinal);

    /// <summary>Where the request came from, for the audit: the peer's address and port (a proxy's, unless forwarded headers are applied).</summary>
    public static string Origin(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var connection = http.Connection;
        return connection.RemoteIpAddress is { } address
            ? string.Create(CultureInfo.InvariantCulture, $"{address}:{connection.RemotePort}")
            : "in-process";
    }
}
