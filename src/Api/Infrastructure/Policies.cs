using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Authorization;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>The role table of API.md as authorization policies.</summary>
public static class Policies
{
    public const string Read = "lectura";
    public const string Edit = "edicion";
    public const string Admin = "administracion";

    public static AuthorizationBuilder AddRolePolicies(this AuthorizationBuilder builder) => builder
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(Read, p => p.RequireRole(Roles.Admin, Roles.Seller, Roles.Observer))
        .AddPolicy(Edit, p => p.RequireRole(Roles.Admin, Roles.Seller))
        .AddPolicy(Admin, p => p.RequireRole(Roles.Admin));

    /// <summary>Whether the policy leaves some role out (403 for it); every role may read.</summary>
    public static bool RefusesSomeRole(string? policy) => policy is Edit or Admin;
}
