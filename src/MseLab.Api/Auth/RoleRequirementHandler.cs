using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using MseLab.Store.Records;

namespace MseLab.Api.Auth;

/// <summary>
/// Admits a caller whose role is high enough; with <see cref="AuthOptions.ReadsOpen"/>, also a read that presents no token.
/// A read that presents a bad token is refused even then: a stale or mistyped token gets told so rather than quietly
/// reading as anonymous.
/// </summary>
public sealed class RoleRequirementHandler(IOptions<AuthOptions> options) : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var role = Caller.Role(context.User);
        var anonymousRead = role is null && requirement.Minimum == UserRole.Read && options.Value.ReadsOpen
            && context.Resource is HttpContext http && http.Request.Headers.Authorization.Count == 0;
        if (role >= requirement.Minimum || anonymousRead)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
