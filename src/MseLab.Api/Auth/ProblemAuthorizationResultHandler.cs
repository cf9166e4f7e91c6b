using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using MseLab.Store;

namespace MseLab.Api.Auth;

/// <summary>
/// Refusals as problem details that name the fix: 401 when the caller is not authenticated (no token, or the bearer
/// handler's reason why the token failed), 403 when they are but their role is too low (which role the endpoint needs).
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            // The handler caches its result per request: this reads the reason, it does not check the token again.
            var failure = (await context.AuthenticateAsync(BearerTokenHandler.SchemeName)).Failure?.Message;
            context.Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
            await TypedResults.Problem(
                title: failure is null ? "This request needs an API token." : "The API token was refused.",
                detail: failure ?? $"Send `Authorization: Bearer {ApiTokenFormat.Prefix}ID_SECRET`; an admin creates one with `mselab token create USER --cluster lab.json`.",
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RoleRequirement>().Select(r => r.Minimum).DefaultIfEmpty().Max();
            var user = Caller.Name(context.User);
            await TypedResults.Problem(
                title: "The token's user may not do this.",
                detail: $"{context.Request.Method} {context.Request.Path} needs role {Words(needed)} or higher; {user} has role {Words(Caller.Role(context.User))}. An admin can issue a token of a user with that role (`mselab user add NAME --role {Words(needed)}`, `mselab token create NAME`).",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Words(Store.Records.UserRole? role) => role?.ToString().ToLowerInvariant() ?? "none";
}
