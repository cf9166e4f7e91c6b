using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using MseLab.Api.Auth;
using MseLab.Store.Records;

namespace MseLab.Api.Extensions;

internal static class AuthServiceExtensions
{
    /// <summary>
    /// Bearer tokens (the store's, or the <c>Auth:AdminToken</c> secret), one policy per role, the <c>Auth</c> options
    /// validated at start, and refusals as problem details.
    /// </summary>
    public static void AddApiAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null);
        builder.Services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddAuthorization(options =>
        {
            foreach (var role in Enum.GetValues<UserRole>())
            {
                options.AddPolicy(AuthPolicies.For(role), policy => policy.AddRequirements(new RoleRequirement(role)));
            }
        });
    }
}
