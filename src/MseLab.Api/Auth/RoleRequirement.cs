using Microsoft.AspNetCore.Authorization;
using MseLab.Store.Records;

namespace MseLab.Api.Auth;

/// <summary>The caller's role must be <see cref="Minimum"/> or higher.</summary>
public sealed record RoleRequirement(UserRole Minimum) : IAuthorizationRequirement;
